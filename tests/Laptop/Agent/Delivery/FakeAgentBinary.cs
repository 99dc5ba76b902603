using Thopter.Laptop.Agent.Delivery;
using Thopter.Shared.Processes;

namespace Thopter.Tests.Laptop.Agent.Delivery;

/// <summary>
/// The laptop's "agent" in unit tests whose devbox is a <see cref="FakeProcessRunner"/>: a file that reads as an x86_64
/// ELF binary (it is never run; EndToEnd tests send the real AOT agent to real devboxes), kept in the test's output
/// directory, and the probe answer of a devbox that already has this very build.
/// </summary>
public static class FakeAgentBinary
{
    private static readonly Lazy<AgentBinary> Binary = new(Write);

    public static AgentBinary Agent => Binary.Value;

    // The file is written on first use: a test that only pairs (never reads Agent) must still find it in a fresh checkout.
    public static AgentBinaries Binaries
    {
        get
        {
            _ = Binary.Value;
            return new(null, Path.Combine(AppContext.BaseDirectory, "fake-agent"));
        }
    }

    /// <summary>A file of <paramref name="length"/> bytes whose ELF header says <paramref name="machine"/> (e_machine 0x3E x86_64, 0xB7 aarch64).</summary>
    public static byte[] Elf(ushort machine, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        byte[] header = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, (byte)machine, (byte)(machine >> 8)];
        header.CopyTo(bytes, 0);
        return bytes;
    }

    public static bool IsProbe(ProcessSpec spec) => spec.Arguments.Any(a => a.Contains("echo \"machine $(uname -m)\"", StringComparison.Ordinal));

    public static bool IsUpload(ProcessSpec spec) => spec.Arguments.Any(a => a.Contains("echo \"installed $dir/thopter-agent\"", StringComparison.Ordinal));

    /// <summary>What the probe prints on an x86_64 devbox with these agents ("path version sha256").</summary>
    public static string ProbeAnswer(params (string Path, string Version, string Sha256)[] agents) =>
        "machine x86_64\n" + string.Concat(agents.Select(a => $"agent {a.Path}\nversion {a.Version}\nsha256 {a.Sha256}\n"));

    /// <summary>The probe answer of a devbox whose `thopter-agent` on PATH is this laptop's build.</summary>
    public static ProcessResult SameBuild() => FakeProcessRunner.Ok(ProbeAnswer(("thopter-agent", "0.1.0", Agent.Sha256)));

    private static AgentBinary Write()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fake-agent", "linux-x64", "thopter-agent");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Elf(0x3E, 300_000);
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            File.WriteAllBytes(path, bytes);
        }

        return AgentBinary.Read(path)!;
    }
}
