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
        SyncthingIdentity identity;
        try
        {
            identity = SyncthingIdentity.Load(context.SyncthingHome);
        }
        catch (IdentityMissingException missing)
        {
            throw new AgentException(
                ExitCodes.IdentityMissing,
                $"no SyncThing identity in {context.SyncthingHome} ({Path.GetFileName(missing.Path)} is missing)",
                "run thopter-agent setup first, or pass --home with the SyncThing home that holds cert.pem and key.pem",
                missing);
        }
        catch (IdentityCorruptException corrupt)
        {
            throw new AgentException(
                ExitCodes.IdentityInvalid,
                $"{corrupt.Path} cannot be used: {corrupt.Reason}",
                "restore cert.pem and key.pem from a backup; only if none exists, remove both and run setup (peers must then re-pair)",
                corrupt);
        }

        context.Output.WriteLine(identity.DeviceId.ToString());
        context.Output.Flush();
        return Task.FromResult(ExitCodes.Ok.Value);
    }
}
