namespace Thopter.Laptop.Agent.Delivery;

/// <summary>
/// Where the laptop finds the thopter-agent binaries it sends to devboxes. <c>THOPTER_AGENT_BINARY</c>, when set, names
/// the one binary to send (a build output, tests); otherwise they sit beside the installed CLI:
/// <c>PREFIX/bin/thopter</c> sends <c>PREFIX/lib/thopter/RID/thopter-agent</c> (RID: linux-x64, linux-arm64), which is
/// what scripts/install.sh lays out (PREFIX ~/.local by default). A symlinked <c>thopter</c> is followed to its file first.
/// </summary>
public sealed record AgentBinaries(string? Override, string LibraryDirectory)
{
    public const string EnvironmentVariable = "THOPTER_AGENT_BINARY";

    public static AgentBinaries FromProcess() => new(
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null,
        LibraryBeside(Environment.ProcessPath));

    /// <summary><c>DIR/../lib/thopter</c> for the CLI at <c>DIR/thopter</c> (the dll's directory when run as <c>dotnet thopter.dll</c>).</summary>
    public static string LibraryBeside(string? processPath)
    {
        var self = processPath is null || Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? Path.Combine(AppContext.BaseDirectory, "thopter")
            : File.Exists(processPath) ? new FileInfo(processPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? processPath : processPath;
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(self)!, "..", "lib", "thopter"));
    }

    /// <summary>The file that would be sent to a devbox of <paramref name="machine"/>.</summary>
    public string PathFor(string machine) => Override ?? Path.Combine(LibraryDirectory, ElfMachine.RuntimeId(machine), AgentClient.Binary);

    /// <summary>Where to look, for messages.</summary>
    public string Describe => Override is not null ? $"{Override} ({EnvironmentVariable})" : Path.Combine(LibraryDirectory, "linux-*", AgentClient.Binary);

    /// <summary>The binary for <paramref name="machine"/>, or null when this laptop has none for it.</summary>
    public AgentBinary? For(string machine)
    {
        var path = PathFor(machine);
        return File.Exists(path) && AgentBinary.Read(path) is { } binary && binary.Machine == machine ? binary : null;
    }

    /// <summary>True when this laptop has an agent binary for some machine (so a devbox without one is a matter of its machine).</summary>
    public bool HasAny => Override is not null
        ? File.Exists(Override)
        : Directory.Exists(LibraryDirectory) && Directory.EnumerateFiles(LibraryDirectory, AgentClient.Binary, SearchOption.AllDirectories).Any();
}
