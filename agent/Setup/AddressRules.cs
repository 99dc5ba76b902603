using System.Net;

namespace Thopter.Agent.Setup;

/// <summary>
/// The address forms setup accepts. Sync addresses are SyncThing URLs (tcp/quic with host and port) or its keyword;
/// the GUI/REST API must be a loopback IP:port, because the API key is the only lock on it.
/// </summary>
public static class AddressRules
{
    public const string DefaultGuiAddress = "127.0.0.1:8384";

    private static readonly string[] SyncSchemes = ["tcp", "tcp4", "tcp6", "quic", "quic4", "quic6"];

    /// <summary>Null when <paramref name="address"/> is a usable sync address, else why not.</summary>
    public static string? SyncAddressProblem(string address, string keyword)
    {
        if (address == keyword)
        {
            return null;
        }

        if (address.Any(char.IsControl) || address.Any(char.IsWhiteSpace))
        {
            return "it contains whitespace or control characters";
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !SyncSchemes.Contains(uri.Scheme))
        {
            return $"it must be \"{keyword}\" or a URL like tcp://HOST:PORT ({string.Join(", ", SyncSchemes)})";
        }

        if (uri.IsDefaultPort || uri.Port is < 1 or > 65535 || uri.Host.Length == 0 || uri.AbsolutePath is not ("/" or ""))
        {
            return "it needs a host and a port (tcp://HOST:PORT) and nothing after them";
        }

        return null;
    }

    /// <summary>Null when <paramref name="address"/> is a loopback IP:port, else why not.</summary>
    public static string? GuiAddressProblem(string address)
    {
        if (!IPEndPoint.TryParse(address, out var endpoint) || endpoint.Port == 0 || !address.Contains(':', StringComparison.Ordinal))
        {
            return "it must be IP:PORT such as 127.0.0.1:8384";
        }

        return IPAddress.IsLoopback(endpoint.Address)
            ? null
            : "the GUI/REST API must listen on loopback only (127.0.0.1 or [::1]); reach it through an ssh tunnel instead";
    }

    public static Uri GuiBaseUri(string guiAddress) => new($"http://{guiAddress}/");
}
