using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Transport;
using Thopter.Shared.Devices;

namespace Thopter.Laptop.Agent;

/// <summary>The parts of <c>thopter-agent setup</c>'s document the laptop acts on.</summary>
public sealed record AgentSetupReport(DeviceId DeviceId, string? ListenAddress, string? IdentityAction, string? IdentityReason, IReadOnlyList<string> Warnings, JsonObject Document)
{
    public static AgentSetupReport From(JsonObject document, string devbox)
    {
        var idText = DevboxText.String(document["deviceId"]);
        if (!DeviceId.TryParse(idText, out var id, out var problem))
        {
            throw new CliFailure(ExitCodes.AgentError, $"thopter-agent setup on \"{devbox}\" reported no valid device ID ({problem})", "update thopter-agent on the devbox to the version that matches this thopter");
        }

        return new AgentSetupReport(
            id,
            DevboxText.String(document["listenAddress"]),
            DevboxText.String((document["identity"] as JsonObject)?["action"]),
            DevboxText.String((document["identity"] as JsonObject)?["reason"]),
            DevboxText.Strings(document["warnings"]),
            document);
    }
}
