using Thopter.Shared.Acceleration.Inotify;

namespace Thopter.Shared.Acceleration;

/// <summary>The change source for this platform: our inotify binding on Linux, FileSystemWatcher elsewhere.</summary>
public static class ChangeSources
{
    public static IChangeSource ForThisPlatform() =>
        OperatingSystem.IsLinux() ? new InotifyChangeSource() : new FileSystemChangeSource();
}
