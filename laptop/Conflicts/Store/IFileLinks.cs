namespace Thopter.Laptop.Conflicts.Store;

/// <summary>
/// The store's seam to the file system's hard links: a second name for a file without copying a byte, which never
/// replaces an existing name. Tests hand in one that refuses, to drive the copy fallback.
/// </summary>
public interface IFileLinks
{
    /// <summary>
    /// Gives <paramref name="source"/> the name <paramref name="target"/> as well. False when the two are on different
    /// file systems (or this one has no hard links); <see cref="Thopter.Shared.IO.FileAlreadyExistsException"/> when
    /// <paramref name="target"/> exists.
    /// </summary>
    bool TryLink(string source, string target);
}
