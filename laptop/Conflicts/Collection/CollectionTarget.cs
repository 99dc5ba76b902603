namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>
/// One synced folder to collect from, and how to name devices: <paramref name="Names"/> maps short device IDs to
/// "laptop" or the paired devbox's name.
/// </summary>
public sealed record CollectionTarget(string FolderId, string FolderPath, string LaptopShortId, IReadOnlyDictionary<string, string> Names);
