namespace Thopter.Laptop.Errors;

/// <summary>
/// A local file-system error as the user's one line and fix: the errno .NET leaves in HResult tells a full disk from
/// a read-only mount from a plain permission problem, each with its own remedy.
/// </summary>
public static class FileSystemFailure
{
    private const int NoSpace = 28;
    private const int ReadOnly = 30;
    private const int QuotaExceeded = 122;

    public static ThopterException From(Exception error) => error.HResult switch
    {
        NoSpace or QuotaExceeded => new ThopterException(
            ErrorKind.FileSystem,
            $"no space left on the device ({error.Message})",
            "free disk space (`df -h ~`) and run the command again; files are replaced whole, so nothing was half-written",
            error),
        ReadOnly => new ThopterException(
            ErrorKind.FileSystem,
            $"the file system is read-only ({error.Message})",
            "make your home directory writable again (or pass --config with a writable path) and run the command again",
            error),
        _ when error is UnauthorizedAccessException => new ThopterException(
            ErrorKind.FileSystem,
            $"permission denied ({error.Message})",
            "check the owner and mode of the path and its directory (`ls -ld`); thopter runs as you, without sudo",
            error),
        _ => new ThopterException(
            ErrorKind.FileSystem,
            $"a local file operation failed ({error.Message})",
            "check that the path exists, is yours and is writable, then run the command again",
            error),
    };
}
