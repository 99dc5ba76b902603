namespace Thopter.Shared.Logging;

/// <summary>
/// Whether stderr is systemd's journal stream (a unit's output), where a <c>&lt;N&gt;</c> prefix sets a line's priority
/// and journald adds the timestamp. JOURNAL_STREAM alone is not enough: a unit's children inherit it while
/// writing elsewhere (the fallback supervisor's --log-file), so the socket behind fd 2 must be the one it names.
/// </summary>
public static class JournalStream
{
    public static bool IsStderr() =>
        Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { } stream
        && stream.Split(':') is [_, var inode]
        && TryLinkTarget("/proc/self/fd/2") == $"socket:[{inode}]";

    private static string? TryLinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
