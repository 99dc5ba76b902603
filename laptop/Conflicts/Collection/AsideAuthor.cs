namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>
/// Whose version a conflict copy holds, from the laptop SyncThing's disk changes (oldest first). Neither the copy's name
/// nor its index entry says: the name carries the winner's short ID, and the entry names whoever announced the path last,
/// which can be a second devbox that made its own copy of the same bytes under the same name a moment later.
/// </summary>
public static class AsideAuthor
{
    /// <summary>
    /// The device whose version <paramref name="copy"/> holds, or null when the changes do not tell (they start after the
    /// copy or the version it holds appeared). The first change of the copy's path says who made it:
    /// <list type="bullet">
    /// <item>a devbox's: that devbox moved its own version aside. Had it held a version from elsewhere, that version passed
    /// through the laptop (the hub) and lost here too, so the laptop made a copy of the same bytes first;</item>
    /// <item>the laptop's scan: the laptop moved its version aside when the winner's change arrived, so the version is the
    /// change of the original before the winner's (the copy's name carries the winner's short ID).</item>
    /// </list>
    /// </summary>
    public static string? Of(IReadOnlyList<DiskChange> changes, string folderId, ConflictFile copy)
    {
        var made = Find(changes, changes.Count, folderId, copy.RelativePath, _ => true, last: false);
        if (made < 0)
        {
            return null;
        }

        if (!changes[made].Local)
        {
            return changes[made].ModifiedBy;
        }

        var winner = Find(changes, made, folderId, copy.OriginalRelativePath, c => c.ModifiedBy == copy.Name.ShortDeviceId, last: true);
        var before = winner < 0 ? -1 : Find(changes, winner, folderId, copy.OriginalRelativePath, _ => true, last: true);
        return before < 0 ? null : changes[before].ModifiedBy;
    }

    /// <summary>Whether the laptop made the copy itself (its scan found it first), as far as the changes tell.</summary>
    public static bool MadeHere(IReadOnlyList<DiskChange> changes, string folderId, ConflictFile copy) =>
        Find(changes, changes.Count, folderId, copy.RelativePath, _ => true, last: false) is var made and >= 0 && changes[made].Local;

    /// <summary>The index of the last (or first) change of <paramref name="path"/> before index <paramref name="before"/> that matches; -1 when none.</summary>
    private static int Find(IReadOnlyList<DiskChange> changes, int before, string folderId, string path, Func<DiskChange, bool> match, bool last)
    {
        var found = -1;
        for (var i = 0; i < before; i++)
        {
            if (changes[i].Folder == folderId && changes[i].Path == path && match(changes[i]))
            {
                found = i;
                if (!last)
                {
                    break;
                }
            }
        }

        return found;
    }
}
