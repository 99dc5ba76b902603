using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Transport;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync prepare-snapshot DEVBOX`: make a devbox ready to be saved as a golden image. Delivers this laptop's
/// thopter-agent (so the image carries it and clones need no transfer), then runs the agent's <c>prepare-snapshot</c>,
/// which stops SyncThing and sets the identity aside so every clone makes its own. The devbox stays recorded: its
/// sync resumes with the next `thopter sync pair DEVBOX`.
/// </summary>
public sealed class PrepareSnapshotCommand : LaptopCommand
{
    private readonly Argument<string> devbox = new("devbox") { Description = "The devbox to snapshot (a paired one, or any with --transport)" };
    private readonly Option<string?> transport = new("--transport") { Description = "Command prefix that runs a command on the devbox (default: the recorded one, else syncthing.defaultTransport)" };

    public PrepareSnapshotCommand()
        : base("prepare-snapshot", "Get a devbox ready to be saved as a golden image: agent delivered, SyncThing stopped, identity set aside for clones")
    {
        Arguments.Add(devbox);
        Options.Add(transport);
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        RunAsync(context, context.Parse.GetValue(devbox)!, context.Parse.GetValue(transport), cancellationToken);

    private static async Task<int> RunAsync(CommandContext context, string name, string? transportOption, CancellationToken cancellationToken)
    {
        var settings = context.ConfigFile.Load();
        var prefix = TransportResolver.Resolve(name, transportOption, settings);
        var transport = new DevboxTransport(name, prefix, context.Environment.Processes);
        await transport.CheckReachableAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var delivered = await AgentDelivery.EnsureAsync(context, transport, cancellationToken).ConfigureAwait(false);

        // The agent acts on one SyncThing home: the one pair's setup used.
        var home = settings.Devboxes.TryGetValue(name, out var entry) ? AgentArguments.Only(entry.AgentArgs, "--home") : [];
        context.Progress.Step($"{name}: running thopter-agent prepare-snapshot");
        var document = await delivered.Client.PrepareSnapshotAsync(home, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        context.Result(new JsonObject
        {
            ["devbox"] = name,
            ["agent"] = delivered.ToJson(),
            ["prepareSnapshot"] = document,
        });
        context.Say($"{name} is ready to be snapshotted: thopter-agent at {delivered.Path}, SyncThing stopped, identity set aside (every clone makes its own)");
        context.Say($"after the snapshot, `thopter sync pair {name}` resumes sync with this devbox; pair each clone under its own name");
        return ExitCodes.Ok;
    }
}
