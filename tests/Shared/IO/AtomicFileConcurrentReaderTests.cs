using System.Diagnostics;
using Thopter.Shared.IO;
using Xunit;

namespace Thopter.Tests.Shared.IO;

/// <summary>SyncThing and other thopter commands read these files while we replace them: they must see old or new, never a mix.</summary>
public sealed class AtomicFileConcurrentReaderTests : IDisposable
{
    private const int Size = 2 * 1024 * 1024;
    private const int Writes = 40;
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_reader_looping_during_replacements_only_ever_sees_a_whole_version()
    {
        var path = dir.Combine("large.bin");
        AtomicFile.Write(path, Version(0), AtomicFile.PrivateMode, keepBackup: false);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var reader = Task.Run(() =>
        {
            var reads = 0;
            var torn = new List<string>();
            while (!done.IsCancellationRequested)
            {
                reads++;
                try
                {
                    var bytes = File.ReadAllBytes(path);
                    if (!IsWholeVersion(bytes))
                    {
                        torn.Add($"{bytes.Length} bytes, first {(bytes.Length > 0 ? bytes[0] : -1)}, last {(bytes.Length > 0 ? bytes[^1] : -1)}");
                    }
                }
                catch (IOException error)
                {
                    // A file shrinking under the reader (truncated for an in-place rewrite) fails the read itself.
                    torn.Add($"the read failed: {error.Message}");
                }
            }

            return (reads, torn);
        });

        var clock = Stopwatch.StartNew();
        for (var version = 1; version <= Writes && !done.IsCancellationRequested; version++)
        {
            AtomicFile.Write(path, Version(version), AtomicFile.PrivateMode, keepBackup: false);
            await Task.Yield();
        }

        await done.CancelAsync();
        var (reads, torn) = await reader;

        Assert.True(reads > Writes, $"the reader read only {reads} times during {Writes} writes ({clock.ElapsedMilliseconds} ms): it did not overlap the writes");
        Assert.True(torn.Count == 0, $"{torn.Count} of {reads} reads saw a partial file, e.g. {string.Join("; ", torn.Take(3))}");
        Assert.True(IsWholeVersion(File.ReadAllBytes(path)));
    }

    /// <summary>Version n: Size + n bytes, all equal to n, so a read can tell a whole version from a truncated or mixed one.</summary>
    private static byte[] Version(int n)
    {
        var bytes = new byte[Size + n];
        Array.Fill(bytes, (byte)n);
        return bytes;
    }

    private static bool IsWholeVersion(byte[] bytes)
    {
        var n = bytes.Length - Size;
        return n is >= 0 and <= Writes && Array.TrueForAll(bytes, b => b == n);
    }
}
