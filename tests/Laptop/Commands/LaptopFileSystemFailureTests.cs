using System.Diagnostics;
using Thopter.Laptop;
using Thopter.Shared.Ignore;
using Thopter.Shared.Processes;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// `thopter sync init` as a real process on a real file system that fails: HOME is a tmpfs mounted in a private mount
/// namespace of its own (`unshare --mount`, gone with the process), read-only or full, against the real laptop
/// SyncThing. Each failure is exit 12 with one line and its fix, and SyncThing is left unchanged, so SyncThing and
/// ~/.thopter.json never disagree.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LaptopFileSystemFailureTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Runs init with HOME on a fresh 1 MiB tmpfs holding ~/code (with its .stignore), after <paramref name="breakHome"/> (sh).</summary>
    private async Task<(ProcessResult Result, TimeSpan Took)> InitOnBrokenHomeAsync(SyncthingTestHome st, string breakHome)
    {
        var keyFile = temp.Combine("api.key");
        File.WriteAllText(keyFile, st.ApiKey);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var seed = Directory.CreateDirectory(temp.Combine("seed", "code")).FullName;
        File.WriteAllText(Path.Combine(seed, ".stignore"), StIgnore.Merge(null));
        var home = Directory.CreateDirectory(temp.Combine("home")).FullName;
        var script = $"""
            set -e
            mount -t tmpfs -o size=1m,mode=0755 tmpfs "$HOME"
            cp -a "$1/." "$HOME/"
            {breakHome}
            shift
            exec "$@"
            """;
        var clock = Stopwatch.StartNew();
        var result = await new ProcessRunner().RunAsync(new ProcessSpec(
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c", script, "sh", temp.Combine("seed"),
             .. LaptopProcess.Command("sync", "init", "--folder", "code", "--api-url", st.BaseAddress.ToString(), "--api-key-file", keyFile)])
        {
            Environment = new Dictionary<string, string?> { ["HOME"] = home, ["DOTNET_NOLOGO"] = "1" },
            Timeout = TimeSpan.FromMinutes(4),
        });
        return (result, clock.Elapsed);
    }

    private static void AssertFileSystemError(ProcessResult result, string reason)
    {
        Assert.True(result.ExitCode == ExitCodes.FileSystem, $"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: " + reason, lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  fix: ", lines[1], StringComparison.Ordinal);
    }

    private static async Task AssertFolderNotRegisteredAsync(SyncthingTestHome st)
    {
        using var client = new SyncthingRestClient(st.BaseAddress, new SyncthingApiKey(st.ApiKey));
        Assert.Null(await client.GetFolderAsync("code"));
    }

    [Fact]
    public async Task A_read_only_home_fails_before_syncthing_is_changed()
    {
        var st = SyncthingTestHome.Create(temp.Combine("st"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);

        var (result, _) = await InitOnBrokenHomeAsync(st, "mount -o remount,ro \"$HOME\"");

        AssertFileSystemError(result, "the file system is read-only");
        await AssertFolderNotRegisteredAsync(st);
    }

    [Fact]
    public async Task A_lock_file_on_a_read_only_home_fails_at_once_instead_of_waiting_for_a_holder()
    {
        var st = SyncthingTestHome.Create(temp.Combine("st"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);

        var (result, took) = await InitOnBrokenHomeAsync(st, "touch \"$HOME/.thopter.json.lock\"; mount -o remount,ro \"$HOME\"");

        AssertFileSystemError(result, "the file system is read-only");
        Assert.True(took < TimeSpan.FromSeconds(60), $"took {took} (the lock wait is 2 minutes)");
        await AssertFolderNotRegisteredAsync(st);
    }

    [Fact]
    public async Task A_full_disk_is_its_exit_code_and_leaves_syncthing_unchanged()
    {
        var st = SyncthingTestHome.Create(temp.Combine("st"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);

        var (result, _) = await InitOnBrokenHomeAsync(st, "dd if=/dev/zero of=\"$HOME/fill\" bs=4k 2>/dev/null || true");

        AssertFileSystemError(result, "no space left on the device");
        await AssertFolderNotRegisteredAsync(st);
    }
}
