using System.CommandLine;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Commands;

/// <summary><c>device-id</c> (and <c>--device-id</c>): print this devbox's SyncThing device ID, bare, from cert.pem.</summary>
public sealed class DeviceIdCommand() : AgentCommand("device-id", "print this devbox's SyncThing device ID")
{
    public override bool BareOutput => true;

    public override Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        context.Output.WriteLine(Print(context.SyncthingHome));
        context.Output.Flush();
        return Task.FromResult(ExitCodes.Ok.Value);
    }

    public static string Print(string syncthingHome)
    {
        try
        {
            return SyncthingIdentity.Load(syncthingHome).DeviceId.ToString();
        }
        catch (IdentityMissingException error)
        {
            throw new AgentException(ExitCodes.IdentityMissing, $"no SyncThing identity: {error.Path} does not exist", "run `thopter-agent setup` first", error);
        }
        catch (IdentityCorruptException error)
        {
            throw new AgentException(ExitCodes.IdentityInvalid, $"{error.Path}: {error.Reason}", "run `thopter-agent reset-identity` to make a new one", error);
        }
    }
}
