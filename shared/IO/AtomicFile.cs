using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Thopter.Shared.IO;

/// <summary>
/// Replaces files whole or not at all: content goes to a temp file in the same directory, created
/// with its final mode from the first byte, flushed to disk, then renamed over the target. A
/// symlink is written through: the file it points to is replaced and the link stays. The replaced
/// file is kept as <c>NAME.bak</c>, never readable by more people than the old or the new file.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode PublicMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Test seam: sees each temp file right after it is created, before its first byte is written.</summary>
    internal static readonly AsyncLocal<Action<string, SafeFileHandle>?> TempCreated = new();

    public static string BackupPathOf(string path) => path + ".bak";

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM). Returns false when the file already held exactly that.</summary>
    public static bool WriteText(string path, string text, UnixFileMode mode, bool keepBackup = true) =>
        Write(path, Encoding.UTF8.GetBytes(text), mode, keepBackup);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>. Identical content is left alone
    /// (no rewrite, no backup churn), which keeps repeated runs byte-for-byte idempotent.
    /// Returns true when the file changed.
    /// </summary>
    public static bool Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool keepBackup = true)
    {
        var full = Path.GetFullPath(path);
        return Replace(TargetOf(full), content, mode, keepBackup ? BackupPathOf(full) : null);
    }

    /// <summary>As <see cref="Write(string, ReadOnlySpan{byte}, UnixFileMode, bool)"/>, keeping the replaced file at <paramref name="backupPath"/>.</summary>
    public static bool Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, string backupPath) =>
        Replace(TargetOf(Path.GetFullPath(path)), content, mode, Path.GetFullPath(backupPath));

    /// <summary>
    /// Creates <paramref name="path"/> whole, only if the name is still free: a file that already
    /// exists (even one a concurrent writer just made) is never replaced; that raises
    /// <see cref="FileAlreadyExistsException"/>.
    /// </summary>
    public static void CreateNew(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = WriteTemp(full, content, mode);
        try
        {
            File.Move(temp, full, overwrite: false);
        }
        catch (IOException) when (File.Exists(full))
        {
            throw new FileAlreadyExistsException(full);
        }
        finally
        {
            DeleteIfPresent(temp);
        }
    }

    /// <summary>Copies a file so the copy never exists with a wider mode than <paramref name="mode"/>.</summary>
    public static void CopyWithMode(string source, string destination, UnixFileMode mode)
    {
        var bytes = File.ReadAllBytes(source);
        Replace(Path.GetFullPath(destination), bytes, mode, backup: null);
    }

    /// <param name="target">Not a symlink (see <see cref="TargetOf"/>).</param>
    /// <param name="backup">Ours, so never followed: a symlink there is replaced by the backup itself.</param>
    private static bool Replace(string target, ReadOnlySpan<byte> content, UnixFileMode mode, string? backup)
    {
        var dir = Path.GetDirectoryName(target) ?? throw new ArgumentException($"{target} has no directory", nameof(target));
        Directory.CreateDirectory(dir);

        if (File.Exists(target) && SameContent(target, content))
        {
            EnsureMode(target, mode);
            return false;
        }

        var temp = WriteTemp(target, content, mode);
        try
        {
            if (backup is not null && File.Exists(target))
            {
                // The old file may hold what the new mode now hides (a 0644 config.xml gaining the API key's 0600).
                CopyWithMode(target, backup, File.GetUnixFileMode(target) & mode);
            }

            File.Move(temp, target, overwrite: true);
            return true;
        }
        finally
        {
            DeleteIfPresent(temp);
        }
    }

    /// <summary>The file a path finally names: a symlink (chain) is followed, so the user's link survives the write.</summary>
    private static string TargetOf(string full)
    {
        var info = new FileInfo(full);
        return info.LinkTarget is null ? full : info.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
    }

    /// <summary>Writes a temp file beside <paramref name="full"/> with its final mode from the first byte, flushed to disk.</summary>
    private static string WriteTemp(string full, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        RemoveStaleTemps(full);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = mode,
        };
        try
        {
            using var stream = new FileStream(temp, options);
            // UnixCreateMode is narrowed by the umask; setting it on the open handle makes the
            // final mode exact before a single byte is written (it never widens a window).
            File.SetUnixFileMode(stream.SafeFileHandle, mode);
            TempCreated.Value?.Invoke(temp, stream.SafeFileHandle);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
            return temp;
        }
        catch
        {
            DeleteIfPresent(temp);
            throw;
        }
    }

    /// <summary>
    /// A writer killed between creating its temp file and the rename leaves <c>.NAME.PID.GUID.tmp</c> behind; the next
    /// write removes those whose PID no longer runs (a live writer's temp is left alone).
    /// </summary>
    private static void RemoveStaleTemps(string full)
    {
        var prefix = $".{Path.GetFileName(full)}.";
        foreach (var temp in Directory.EnumerateFiles(Path.GetDirectoryName(full)!, prefix + "*.tmp"))
        {
            var parts = Path.GetFileName(temp)[prefix.Length..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], out var pid) && !IsRunning(pid))
            {
                DeleteIfPresent(temp);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static bool SameContent(string path, ReadOnlySpan<byte> content)
    {
        var info = new FileInfo(path);
        if (info.Length != content.Length)
        {
            return false;
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
    }

    private static void EnsureMode(string path, UnixFileMode mode)
    {
        if (File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}

/// <summary>The file <see cref="AtomicFile.CreateNew"/> was asked to create already exists; it was left as it was.</summary>
public sealed class FileAlreadyExistsException(string path) : IOException($"{path} already exists")
{
    public string FilePath { get; } = path;
}
