namespace Thopter.Laptop.Seed;

/// <summary>
/// What unpacking a seed did, entry by entry: <see cref="Written"/> files and links placed (<see cref="Bytes"/> of file
/// content) and directories made; entries left alone because the laptop already has something at that path
/// (<see cref="Existing"/>), because a parent on the laptop is a symlink or a file (<see cref="Blocked"/>), because the
/// laptop's .stignore ignores them (<see cref="Ignored"/>), or because the file changed while the devbox packed it
/// (<see cref="Changed"/>). Everything left alone is SyncThing's to reconcile, as without a seed.
/// </summary>
public sealed record SeedOutcome(int Written, int Directories, long Bytes, int Existing, int Blocked, int Ignored, int Changed)
{
    public int LeftAlone => Existing + Blocked + Changed;
}
