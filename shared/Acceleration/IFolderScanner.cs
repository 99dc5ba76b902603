namespace Thopter.Shared.Acceleration;

/// <summary>
/// Asks SyncThing to rescan part of a folder (POST /rest/db/scan?folder=F&amp;sub=P...). The call returns
/// when the scan is done. An empty <paramref name="subPaths"/> means the whole folder. Paths are relative
/// to the folder root with '/' separators. Any exception means "not scanned yet": the accelerator keeps
/// the paths pending and retries with backoff.
/// </summary>
public interface IFolderScanner
{
    Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct);
}
