using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync device-id DEVBOX [--refresh]`: the SyncThing device ID a paired devbox was registered with, or with
/// --refresh the one its agent reports now (a differing one means the devbox changed identity: pair it again).
/// </summary>
public sealed class DeviceIdCommand : LaptopCommand
{
    private readonly Argument<string> devbox = new("devbox") { Description = "Name of a paired devbox (see `thopter sync list`)" };
    private readonly Option<bool> refresh = new("--refresh") { Description = "Ask the devbox's agent instead of the recorded ID" };

    public DeviceIdCommand()
        : base("device-id", "Print a paired devbox's SyncThing device ID")
    {
        Arguments.Add(devbox);
        Options.Add(refresh);
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        RunAsync(context, context.Parse.GetValue(devbox)!, context.Parse.GetValue(refresh), cancellationToken);

    /// <summary>The recorded devbox, or a not-found failure listing the paired ones.</summary>
    public static DevboxEntry Find(SyncSection settings, string name)
    {
        if (settings.Devboxes.TryGetValue(name, out var entry))
        {
            return entry;
        }

        var known = settings.Devboxes.Count == 0 ? "no devboxes are paired" : $"paired: {string.Join(", ", settings.Devboxes.Keys)}";
        throw new ThopterException(ErrorKind.NotFound, $"no paired devbox named \"{name}\" ({known})", "check the name with `thopter sync list`");
    }

    private static async Task<int> RunAsync(CommandContext context, string name, bool refresh, CancellationToken cancellationToken)
    {
        var entry = Find(context.ConfigFile.Load(), name);
        var id = entry.DeviceId;
        if (refresh)
        {
            var transport = new DevboxTransport(name, entry.Transport, context.Environment.Processes);
            await transport.CheckReachableAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            var agent = (await AgentDelivery.EnsureAsync(context, transport, cancellationToken).ConfigureAwait(false)).Client;
            id = (await agent.DeviceIdAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)).ToString();
            if (id != entry.DeviceId)
            {
                context.Warn($"devbox \"{name}\" now has device ID {id[..7]}, not the paired {entry.DeviceId[..7]} (cloned or reset)", $"run `thopter sync pair {name}` to pair the new identity");
            }
        }

        context.Result(new JsonObject { ["name"] = name, ["deviceId"] = id, ["recorded"] = entry.DeviceId, ["refreshed"] = refresh });
        context.Say(id);
        return ExitCodes.Ok;
    }
}
