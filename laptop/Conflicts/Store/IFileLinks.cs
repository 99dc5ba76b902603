namespace Thopter.Laptop.Conflicts.Store;

/// <summary>
/// The conflict code's seam to the file system's names: a second name for a file without copying a byte, which never
/// replaces an existing name, and an atomic swap of two names. Tests hand in ones that refuse, to drive the fallbacks,
/// or that write in between, to play SyncThing racing a resolve.
/// </summary>
public interface IFileLinks
{
    /// <summary>
    /// Gives <paramref name="source"/> the name <paramref name="target"/> as well. False when the two are on different
    /// file systems (or this one has no hard links); <see cref="Thopter.Shared.IO.FileAlreadyExistsException"/> when
    /// <paramref name="target"/> exists.
    /// </summary>
    bool TryLink(string source, string target);

    /// <summary>
    /// Swaps the files named <paramref name="first"/> and <paramref name="second"/> in one step (both must exist). False
    /// when this file system or system cannot; nothing has changed then.
    /// </summary>
    bool TryExchange(string first, string second);
}
