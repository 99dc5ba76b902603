namespace Thopter.Laptop.Daemon.Host;

/// <summary>Creates a directory only its owner can enter (0700), and tightens one that exists with a looser mode.</summary>
public static class PrivateDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Ensure(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.Exists && info.LinkTarget is not null)
        {
            throw new IOException($"{path} is a symbolic link; the daemon's private directory must be a real directory");
        }

        Directory.CreateDirectory(path, Mode);
        if (File.GetUnixFileMode(path) != Mode)
        {
            File.SetUnixFileMode(path, Mode);
        }
    }
}
