namespace Thopter.Laptop.Agent.Delivery;

/// <summary>
/// Machines in <c>uname -m</c>'s spelling: what a devbox reports, and what an ELF header's e_machine field means.
/// Only 64-bit little-endian Linux machines .NET publishes NativeAOT for are known.
/// </summary>
public static class ElfMachine
{
    public const string X64 = "x86_64";
    public const string Arm64 = "aarch64";

    /// <summary>The machine an ELF header (its first 20 bytes) is built for; null when it is not a 64-bit little-endian ELF file for a known machine.</summary>
    public static string? Of(ReadOnlySpan<byte> header)
    {
        if (header.Length < 20 || header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[4] != 2 || header[5] != 1)
        {
            return null;
        }

        return (header[18] | (header[19] << 8)) switch
        {
            0x3E => X64,
            0xB7 => Arm64,
            _ => null,
        };
    }

    /// <summary>A devbox's <c>uname -m</c> in the spelling above ("amd64" and "arm64" are other systems' names for them).</summary>
    public static string Normalize(string unameMachine) => unameMachine switch
    {
        "amd64" => X64,
        "arm64" => Arm64,
        _ => unameMachine,
    };

    /// <summary>The .NET runtime identifier that builds an agent for <paramref name="machine"/>, e.g. linux-x64.</summary>
    public static string RuntimeId(string machine) => machine switch
    {
        X64 => "linux-x64",
        Arm64 => "linux-arm64",
        _ => $"linux-{machine}",
    };
}
