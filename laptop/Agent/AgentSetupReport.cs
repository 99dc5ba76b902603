using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;

namespace Thopter.Laptop.Agent;

/// <summary>The parts of <c>thopter-agent setup</c>'s document the laptop acts on.</summary>
public sealed record AgentSetupReport(DeviceId DeviceId, string? ListenAddress, string? IdentityAction, string? IdentityReason, IReadOnlyList<string> Warnings, JsonObject Document)
{
    public static AgentSetupReport From(JsonObject document, string devbox)
    {
        var idText = document["deviceId"]?.GetValue<string>();
        if (!DeviceId.TryParse(idText, out var id, out var problem))
        {
            throw new CliFailure(ExitCodes.AgentError, $"thopter-agent setup on \"{devbox}\" reported no valid device ID ({problem})", "update thopter-agent on the devbox to the version that matches this thopter");
        }

        var warnings = document["warnings"] is JsonArray list
            ? list.Select(w => w?.GetValue<string>()).OfType<string>().ToList()
            : [];
        return new AgentSetupReport(
            id,
            document["listenAddress"]?.GetValue<string>(),
            document["identity"]?["action"]?.GetValue<string>(),
            document["identity"]?["reason"]?.GetValue<string>(),
            warnings,
            document);
    }
}
