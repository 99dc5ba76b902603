namespace Thopter.Agent.Install;

/// <summary>A one-line, self-overwriting progress meter on stderr. Only used when stderr is a terminal.</summary>
public sealed class DownloadProgress(TextWriter stderr, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private string name = string.Empty;
    private long? total;
    private long lastDraw;

    public void Start(Uri uri, long? length)
    {
        name = Path.GetFileName(uri.AbsolutePath);
        total = length;
        lastDraw = 0;
    }

    public void Advance(long received)
    {
        if (time.GetElapsedTime(lastDraw) < Interval)
        {
            return;
        }

        lastDraw = time.GetTimestamp();
        var amount = total is > 0 ? $"{received * 100 / total.Value,3}% of {Mib(total.Value)}" : Mib(received);
        stderr.Write($"\r{name}: {amount}   ");
        stderr.Flush();
    }

    public void Finish()
    {
        stderr.Write($"\r{name}: done{new string(' ', 24)}\n");
        stderr.Flush();
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0.0} MiB";
}
