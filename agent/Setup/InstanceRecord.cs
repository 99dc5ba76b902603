using Thopter.Shared.IO;

namespace Thopter.Agent.Setup;

/// <summary>
/// Who the identity beside it was made for: <paramref name="Instance"/> is the instance setup was told (--instance-id) or
/// derived, <paramref name="Platform"/> the platform's own fingerprint (machine-id + hostname) at the time. Setup compares
/// instances; the guard that runs before every SyncThing start knows no --instance-id and compares platforms.
/// </summary>
public sealed record InstanceRecord(string Instance, string Platform)
{
    /// <summary>The record in <paramref name="path"/>, or null when there is none. A one-line record (older agents) is its own platform.</summary>
    public static InstanceRecord? Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return lines.Length switch
        {
            0 => null,
            1 => new InstanceRecord(lines[0], lines[0]),
            _ => new InstanceRecord(lines[0], lines[1]),
        };
    }

    public void Write(string path) =>
        AtomicFile.WriteText(path, $"{Instance}\n{Platform}\n", AtomicFile.PublicMode, keepBackup: false);
}
