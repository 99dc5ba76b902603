using Thopter.Shared.Conflicts;

namespace Thopter.Tests.EndToEnd;

/// <summary>What the synced trees hold, read the way a user would see them: conflict copies, and files byte for byte.</summary>
public static class ConflictTrees
{
    /// <summary>Conflict copies in the laptop's tree (SyncThing's .stversions aside).</summary>
    public static IReadOnlyList<string> CopiesIn(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.sync-conflict-*", SearchOption.AllDirectories).Where(f => !f.Contains("/.stversions/", StringComparison.Ordinal))];

    /// <summary>Every file in a devbox's tree whose name matches <c>*.sync-conflict-*</c>, SyncThing's temp files included.</summary>
    public static async Task<IReadOnlyList<string>> MatchesInAsync(TestDevbox box)
    {
        var found = await box.Devbox.ExecAsync("dev", "find", TestDevbox.FolderPath, "-name", "*.sync-conflict-*", "-not", "-path", "*/.stversions/*");
        return !found.Succeeded
            ? [$"(find failed: {found.StandardError.Trim()})"]
            : found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Conflict copies in a devbox's tree. SyncThing's own temp file of a copy it had begun to download when the laptop
    /// removed it (.syncthing.NAME.tmp) is not one: SyncThing never syncs it and removes it itself (after 24 h).
    /// </summary>
    public static async Task<bool> DevboxHasCopiesAsync(TestDevbox box) =>
        (await MatchesInAsync(box)).Any(p => p.StartsWith('(') || ConflictName.IsConflict(Path.GetFileName(p)));

    /// <summary>Writes <paramref name="bytes"/> to a file of the devbox's folder whole (temp + rename), any byte included.</summary>
    public static async Task WriteBytesAsync(TestDevbox box, string relative, byte[] bytes, DateTime? modified = null)
    {
        var touch = modified is { } at ? $" && touch -m -d @{new DateTimeOffset(at).ToUnixTimeSeconds()} \"$1.tmp\"" : string.Empty;
        (await box.Devbox.ExecAsync(
            "dev",
            ["sh", "-c", $"mkdir -p \"$(dirname \"$1\")\" && base64 -d > \"$1.tmp\"{touch} && mv \"$1.tmp\" \"$1\"", "sh", $"{TestDevbox.FolderPath}/{relative}"],
            new Thopter.Tests.Harness.Docker.ExecOptions { StandardInput = Convert.ToBase64String(bytes) })).EnsureSuccess();
    }

    /// <summary>The file's bytes on the devbox; null when it is not there.</summary>
    public static async Task<byte[]?> ReadBytesAsync(TestDevbox box, string relative)
    {
        var result = await box.Devbox.ExecAsync("dev", "base64", "-w0", $"{TestDevbox.FolderPath}/{relative}");
        return result.Succeeded ? Convert.FromBase64String(result.StandardOutput.Trim()) : null;
    }
}
