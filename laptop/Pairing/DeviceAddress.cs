using System.Net.Sockets;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// The address the laptop's SyncThing dials for a devbox: the devbox's reported listen address when it names a
/// concrete host and port that answers a TCP connect from here, otherwise "dynamic" (SyncThing then finds it through
/// discovery, or the devbox dials the laptop).
/// </summary>
public static class DeviceAddress
{
    public const string Dynamic = "dynamic";

    /// <summary>host:port of a tcp:// listen address that names one concrete host, else null.</summary>
    public static (string Host, int Port)? Concrete(string? listenAddress)
    {
        if (listenAddress is null || !Uri.TryCreate(listenAddress, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("tcp" or "tcp4" or "tcp6") || uri.Port <= 0)
        {
            return null;
        }

        var host = uri.Host.Trim('[', ']');
        return host is "" or "0.0.0.0" or "::" ? null : (host, uri.Port);
    }

    public static async Task<IReadOnlyList<string>> ChooseAsync(string? listenAddress, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        if (Concrete(listenAddress) is not { } target)
        {
            return [Dynamic];
        }

        using var client = new TcpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(connectTimeout);
        try
        {
            await client.ConnectAsync(target.Host, target.Port, deadline.Token).ConfigureAwait(false);
            return [listenAddress!];
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return [Dynamic];
        }
    }
}
