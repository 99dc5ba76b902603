using System.Net;
using Thopter.Agent.Tunnel;
using Xunit;

namespace Thopter.Tests.Agent.Tunnel;

/// <summary>
/// Who holds a tunnel's listener, read from a /proc tree laid out as the kernel's (net/tcp lines as Linux prints them,
/// exe and fd symbolic links, NUL-separated cmdline): the SyncThing serving the tunnel's home passes, anyone else is named. The real /proc is exercised by
/// TunnelRefusesForeignListenerTests.
/// </summary>
public sealed class ListenerOwnerTests : IDisposable
{
    private const string Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    // 127.0.0.1:22000 (0x55F0) listening, owned by uid 1000, inode 4242; and an established connection on the same port.
    private const string Tcp = Header
        + "   0: 0100007F:55F0 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0\n"
        + "   1: 0100007F:55F0 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0000000000000000 20 4 30 10 -1\n";

    private readonly string proc = Directory.CreateTempSubdirectory("thopter-proc-").FullName;

    public ListenerOwnerTests() => Directory.CreateDirectory(Path.Combine(proc, "net"));

    public void Dispose() => Directory.Delete(proc, recursive: true);

    private const string Home = "/home/dev/.local/state/syncthing";

    private static readonly string[] Serving = ["/home/dev/.local/lib/thopter/syncthing/current/syncthing", "serve", "--no-browser", $"--home={Home}"];

    private static IPEndPoint Loopback(int port) => new(IPAddress.Loopback, port);

    private ListenerOwner Owner(uint uid = 1000) => new(proc, uid, Home);

    [Fact]
    public void This_users_syncthing_holding_the_socket_passes()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);
        Process(17, "/usr/bin/bash", ["bash"], "pipe:[1]");
        Process(30, "/home/dev/.local/lib/thopter/syncthing/current/syncthing", Serving, "pipe:[2]");
        Process(31, "/home/dev/.local/lib/thopter/syncthing/current/syncthing", Serving, "anon_inode:[eventpoll]", "socket:[4242]");

        Assert.Null(Owner().Problem(Loopback(22000)));
        Assert.Null(Owner().Problem(new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 22000)));
    }

    [Fact]
    public void A_syncthing_binary_of_any_name_serving_the_home_counts()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);
        Process(31, "/home/dev/syncthing-binary (deleted)", ["/home/dev/syncthing-binary", "serve", $"--home={Home}"], "socket:[4242]");

        Assert.Null(Owner().Problem(Loopback(22000)));
    }

    [Fact]
    public void Another_program_of_this_user_is_named()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);
        Process(31, "/home/dev/.local/lib/thopter/syncthing/current/syncthing", Serving, "socket:[999]");
        Process(40, "/usr/bin/python3.11", ["python3", "-m", "http.server", "22000"], "socket:[4242]");

        Assert.Equal($"127.0.0.1:22000 is held by python3.11 (pid 40), not the SyncThing of {Home}", Owner().Problem(Loopback(22000)));
    }

    [Fact]
    public void A_syncthing_serving_another_home_is_not_this_homes()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);
        Process(31, "/usr/bin/syncthing", ["/usr/bin/syncthing", "serve", "--home=/home/dev/other"], "socket:[4242]");

        Assert.Equal($"127.0.0.1:22000 is held by syncthing (pid 31), not the SyncThing of {Home}", Owner().Problem(Loopback(22000)));
    }

    [Fact]
    public void Another_users_listener_is_refused_without_looking_at_processes()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);

        Assert.Equal("127.0.0.1:22000 is held by a program of another user (uid 1000), not this user's SyncThing", Owner(1001).Problem(Loopback(22000)));
    }

    [Fact]
    public void A_holder_this_user_cannot_see_is_refused()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);

        Assert.Equal($"127.0.0.1:22000 is held by a program that is not the SyncThing of {Home}", Owner().Problem(Loopback(22000)));
    }

    [Fact]
    public void A_wildcard_ipv6_listener_accepts_loopback_connections_too()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp6"), Header
            + "   0: 00000000000000000000000000000000:55F0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 100 0 0 10 0\n");
        Process(31, "/usr/bin/syncthing", Serving, "socket:[777]");

        Assert.Null(Owner().Problem(Loopback(22000)));
        Assert.Null(Owner().Problem(new IPEndPoint(IPAddress.IPv6Loopback, 22000)));
    }

    [Fact]
    public void A_listener_on_another_port_or_address_is_not_the_one_reached()
    {
        File.WriteAllText(Path.Combine(proc, "net", "tcp"), Tcp);
        Process(31, "/usr/bin/syncthing", Serving, "socket:[4242]");

        Assert.StartsWith("no listening socket for 127.0.0.1:22001", Owner().Problem(Loopback(22001)), StringComparison.Ordinal);
        Assert.StartsWith("no listening socket for 127.0.0.2:22000", Owner().Problem(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 22000)), StringComparison.Ordinal);
    }

    private void Process(int pid, string executable, string[] commandLine, params string[] fds)
    {
        var dir = Directory.CreateDirectory(Path.Combine(proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "fd")).Parent!.FullName;
        File.CreateSymbolicLink(Path.Combine(dir, "exe"), executable);
        File.WriteAllText(Path.Combine(dir, "cmdline"), string.Join('\0', commandLine) + "\0");
        for (var fd = 0; fd < fds.Length; fd++)
        {
            File.CreateSymbolicLink(Path.Combine(dir, "fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture)), fds[fd]);
        }
    }
}
