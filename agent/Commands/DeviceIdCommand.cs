using System.CommandLine;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>device-id</c> (and the root's <c>--device-id</c>): prints the canonical SyncThing device ID of the identity in --home,
/// bare on stdout so a shell can capture it. Reads two small files and hashes a certificate: no network, no SyncThing process.
/// </summary>
public sealed class DeviceIdCommand() : AgentCommand("device-id", "print this devbox's SyncThing device ID (bare, not JSON)")
{
    public override bool BareOutput => true;

    public override Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        // A missing or unreadable identity surfaces as its exception; ErrorMapper gives it exit 10 or 11.
        var identity = SyncthingIdentity.Load(context.SyncthingHome);
        context.Output.WriteLine(identity.DeviceId.ToString());
        context.Output.Flush();
        return Task.FromResult(ExitCodes.Ok.Value);
    }
}
