using System.Security.Cryptography;

namespace Thopter.Laptop.Agent.Delivery;

/// <summary>
/// A thopter-agent binary on the laptop that can be sent to devboxes: its path, the machine it runs on (read from its
/// ELF header, in <c>uname -m</c> terms), its size and its SHA-256, which is its build id: two agents are the same
/// build exactly when their bytes are the same.
/// </summary>
public sealed record AgentBinary(string Path, string Machine, long Length, string Sha256)
{
    /// <summary>Reads <paramref name="path"/>; null when it is not a Linux ELF executable for a machine we know.</summary>
    public static AgentBinary? Read(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[20];
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || ElfMachine.Of(header) is not { } machine)
        {
            return null;
        }

        file.Position = 0;
        return new AgentBinary(path, machine, file.Length, Convert.ToHexStringLower(SHA256.HashData(file)));
    }
}
