using Xunit;
using System.Diagnostics;
using Thopter.Shared.Acceleration;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// Stands in for SyncThing's REST API in unit tests: records every successful scan request with the moment
/// it started, and can fail requests the way SyncThing does while busy or restarting.
/// </summary>
internal sealed class RecordingFolderScanner(string expectedFolderId) : IFolderScanner
{
    private readonly object _gate = new();
    private readonly List<ScanRecord> _succeeded = [];
    private int _attempts;

    /// <summary>Given the 1-based attempt number, the exception to fail it with, or null to succeed.</summary>
    public Func<int, Exception?> Failure { get; set; } = _ => null;

    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<ScanRecord> Succeeded
    {
        get
        {
            lock (_gate)
            {
                return [.. _succeeded];
            }
        }
    }

    public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct)
    {
        var startedAt = Stopwatch.GetTimestamp();
        Assert.Equal(expectedFolderId, folderId);
        var attempt = Interlocked.Increment(ref _attempts);
        if (Failure(attempt) is { } error)
        {
            return Task.FromException(error);
        }

        lock (_gate)
        {
            _succeeded.Add(new ScanRecord(startedAt, [.. subPaths]));
        }

        return Task.CompletedTask;
    }

    /// <summary>Paths (from <paramref name="changes"/>) that no successful scan started after their change covers.</summary>
    public List<string> Uncovered(IReadOnlyDictionary<string, long> changes)
    {
        var scans = Succeeded.Select(scan => (scan.StartedAt, Subs: scan.SubPaths.ToHashSet(StringComparer.Ordinal))).ToList();
        var uncovered = new List<string>();
        foreach (var (path, changedAt) in changes)
        {
            var covered = scans.Any(scan => scan.StartedAt >= changedAt && (scan.Subs.Count == 0 || SelfAndAncestors(path).Any(scan.Subs.Contains)));
            if (!covered)
            {
                uncovered.Add(path);
            }
        }

        return uncovered;
    }

    /// <summary>Every sub path requested by a successful scan (flattened; "" for a whole-folder scan).</summary>
    public List<string> AllSubPaths() =>
        Succeeded.SelectMany(scan => scan.SubPaths.Count == 0 ? [string.Empty] : scan.SubPaths).ToList();

    private static IEnumerable<string> SelfAndAncestors(string path)
    {
        for (var current = path; current.Length > 0; current = current.Contains('/') ? current[..current.LastIndexOf('/')] : string.Empty)
        {
            yield return current;
        }
    }
}

internal sealed record ScanRecord(long StartedAt, IReadOnlyList<string> SubPaths);
