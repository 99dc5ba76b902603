using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;
using Thopter.Shared.Contracts;
using Thopter.Shared.Devices;

namespace Thopter.Laptop.Agent;

/// <summary>
/// The parts of <c>thopter-agent setup</c>'s document the laptop acts on, its text cleaned (a devbox's words). Any
/// part but the device ID may be missing: an agent of another build is read as far as it goes.
/// </summary>
public sealed record AgentSetupReport(DeviceId DeviceId, string? ListenAddress, string? IdentityAction, string? IdentityReason, IReadOnlyList<string> Warnings)
{
    public static AgentSetupReport From(SetupResult document, string devbox)
    {
        var idText = DevboxText.String(document.DeviceId);
        if (!DeviceId.TryParse(idText, out var id, out var problem))
        {
            throw new ThopterException(ErrorKind.AgentError, $"thopter-agent setup on \"{devbox}\" reported no valid device ID ({problem})", "update thopter-agent on the devbox to the version that matches this thopter");
        }

        return new AgentSetupReport(
            id,
            DevboxText.String(document.ListenAddress),
            DevboxText.String(document.Identity?.Action),
            DevboxText.String(document.Identity?.Reason),
            DevboxText.Strings(document.Warnings));
    }
}
