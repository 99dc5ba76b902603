using System.Diagnostics;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;

namespace Thopter.Laptop.Agent.Delivery;

/// <summary>What delivery did: the agent to run (at <paramref name="Path"/>), and whether and why bytes were sent.</summary>
public sealed record DeliveredAgent(AgentClient Client, string Path, string Action, string Reason, long BytesSent, long ElapsedMs)
{
    /// <summary>For --json: "kept" (nothing sent), "installed" or "replaced".</summary>
    public JsonObject ToJson() => new()
    {
        ["path"] = Path,
        ["action"] = Action,
        ["reason"] = Reason,
        ["bytesSent"] = BytesSent,
        ["elapsedMs"] = ElapsedMs,
    };
}

/// <summary>
/// Makes sure a devbox runs this laptop's thopter-agent before a command uses it, as Mutagen installs its agent on
/// first contact: one round trip asks for the devbox's machine and agents (<see cref="AgentProbe"/>); only when none is
/// the laptop's build is the laptop's binary sent through the same transport (<see cref="AgentUpload"/>). Running it
/// again sends nothing. A golden image that already has the agent only saves the transfer.
/// </summary>
public static class AgentDelivery
{
    public static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(10);

    public static async Task<DeliveredAgent> EnsureAsync(CommandContext context, DevboxTransport transport, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var binaries = context.Environment.AgentBinaries;
        var probe = await AgentProbe.RunAsync(transport, cancellationToken).ConfigureAwait(false);
        var local = binaries.For(probe.Machine);
        var plan = DeliveryPlan.Decide(probe, local, DaemonVersion.Current);
        var devbox = transport.Devbox;
        if (plan.UsePath is { } path)
        {
            if (local is null)
            {
                context.Warn($"devbox \"{devbox}\": {plan.Reason}", $"it is not checked against this thopter's version; put this laptop's agent for {probe.Machine} at {binaries.PathFor(probe.Machine)} to have it kept up to date");
            }

            context.Progress.Step($"{devbox}: thopter-agent {path} ({(local is null ? "as found" : "this laptop's build")})");
            return new DeliveredAgent(new AgentClient(transport, path), path, "kept", plan.Reason, 0, clock.ElapsedMilliseconds);
        }

        var binary = plan.Send ?? throw Undeliverable(binaries, probe.Machine, devbox);
        context.Progress.Step($"{devbox}: sending thopter-agent ({binary.Length / 1048576.0:0.0} MiB) through `{transport.Describe}`: {plan.Reason}");
        var installed = await AgentUpload.SendAsync(transport, binary, context.Progress, UploadTimeout, cancellationToken).ConfigureAwait(false);
        context.Progress.Step($"{devbox}: thopter-agent installed at {installed} (SHA-256 checked) in {clock.Elapsed.TotalSeconds:0.0} s");
        return new DeliveredAgent(new AgentClient(transport, installed), installed, plan.Installed is null ? "installed" : "replaced", plan.Reason, binary.Length, clock.ElapsedMilliseconds);
    }

    private static ThopterException Undeliverable(AgentBinaries binaries, string machine, string devbox) => binaries.HasAny
        ? new ThopterException(
            ErrorKind.AgentUnsupportedMachine,
            $"devbox \"{devbox}\" is a {machine} machine without thopter-agent, and this thopter has no agent for {machine} (looked for {binaries.PathFor(machine)})",
            $"install a thopter-agent built for {machine} on the devbox by hand (~/.local/bin or PATH), or build one (`dotnet publish agent/Thopter.Agent.csproj -c Release -r {ElfMachine.RuntimeId(machine)}`) and put it at {binaries.PathFor(machine)}")
        : new ThopterException(
            ErrorKind.AgentBinaryMissing,
            $"devbox \"{devbox}\" has no thopter-agent and this thopter has none to send (looked for {binaries.Describe})",
            $"install thopter with scripts/install.sh (it puts the agent in PREFIX/lib/thopter/linux-x64/), set {AgentBinaries.EnvironmentVariable} to a built thopter-agent, or install thopter-agent on the devbox by hand");
}
