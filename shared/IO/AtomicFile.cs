using System.Text;

namespace Thopter.Shared.IO;

/// <summary>
/// Replaces files whole or not at all: content goes to a temp file in the same directory, created
/// with its final mode from the first byte, flushed to disk, then renamed over the target. The
/// replaced file is kept as <c>NAME.bak</c> (same mode) so a user can always go back.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode PublicMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

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
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path} has no directory", nameof(path));
        Directory.CreateDirectory(dir);

        if (File.Exists(full) && SameContent(full, content))
        {
            EnsureMode(full, mode);
            return false;
        }

        var temp = WriteTemp(full, content, mode);
        try
        {
            if (keepBackup && File.Exists(full))
            {
                CopyWithMode(full, BackupPathOf(full), File.GetUnixFileMode(full));
            }

            File.Move(temp, full, overwrite: true);
            return true;
        }
        finally
        {
            DeleteIfPresent(temp);
        }
    }

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

    /// <summary>Copies a file so the copy never exists with a wider mode than the original.</summary>
    public static void CopyWithMode(string source, string destination, UnixFileMode mode)
    {
        var bytes = File.ReadAllBytes(source);
        Write(destination, bytes, mode, keepBackup: false);
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
