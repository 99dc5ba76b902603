using Thopter.Shared.Processes;
using Thopter.Tests.Laptop.Agent.Delivery;

namespace Thopter.Tests.Laptop;

/// <summary>
/// Stands in for ssh/docker on the laptop in unit tests: records every spec and answers through <see cref="Respond"/>;
/// the agent-delivery probe is answered by <see cref="Probe"/> (by default: the devbox has the laptop's build).
/// </summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    public List<ProcessSpec> Runs { get; } = [];

    public Func<ProcessSpec, ProcessResult> Probe { get; set; } = _ => FakeAgentBinary.SameBuild();

    public Func<ProcessSpec, ProcessResult> Respond { get; set; } = _ => Ok(string.Empty);

    public static ProcessResult Ok(string stdout) => new(0, stdout, string.Empty, TimeSpan.Zero);

    public static ProcessResult Fail(int exit, string stderr, string stdout = "") => new(exit, stdout, stderr, TimeSpan.Zero);

    /// <summary>What `thopter-agent setup` prints on a devbox whose SyncThing is <paramref name="deviceId"/> (identity kept, default listen address).</summary>
    public static ProcessResult AgentSetup(string deviceId) => Ok(new System.Text.Json.Nodes.JsonObject
    {
        ["deviceId"] = deviceId,
        ["listenAddress"] = "default",
        ["identity"] = new System.Text.Json.Nodes.JsonObject { ["action"] = "kept", ["reason"] = "same instance" },
        ["warnings"] = new System.Text.Json.Nodes.JsonArray(),
    }.ToJsonString());

    /// <summary>The devbox command of a run: everything after the transport prefix of <paramref name="prefixLength"/> words.</summary>
    public static IReadOnlyList<string> Command(ProcessSpec spec, int prefixLength) => [.. spec.Arguments.Skip(prefixLength - 1)];

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        Runs.Add(spec);
        return Task.FromResult(FakeAgentBinary.IsProbe(spec) ? Probe(spec) : Respond(spec));
    }
}
