using System.Globalization;
using System.Net;
using Thopter.Agent.Supervision;

namespace Thopter.Agent.Tunnel;

/// <summary>
/// Who holds the listener a tunnel connected to. The port comes from config.xml, but while SyncThing is down another
/// program may hold it, and copying the laptop's bytes to that program is wrong. The kernel's table of listening
/// sockets (/proc/net/tcp and tcp6: owner uid and socket inode) and the process holding that inode (among this user's
/// processes, the only ones whose fds we may read) answer it without asking SyncThing anything. This home's SyncThing is
/// recognised as supervision recognises it (<see cref="SyncthingProcesses.ServesHome"/>).
/// </summary>
public sealed class ListenerOwner(string procRoot, uint userId, string syncthingHome)
{
    private const string Listen = "0A";

    public static ListenerOwner ThisMachine(string syncthingHome) => new("/proc", Systemd.Libc.GetEffectiveUserId(), syncthingHome);

    /// <summary>Null when <paramref name="reached"/> is held by the SyncThing serving the home; otherwise who holds it, in words.</summary>
    public string? Problem(IPEndPoint reached)
    {
        // A dual-mode socket reports an IPv4 peer as ::ffff:a.b.c.d; /proc/net/tcp lists it as IPv4.
        var listener = reached.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(reached.Address.MapToIPv4(), reached.Port) : reached;
        var sockets = ListeningSockets(listener);
        if (sockets.Count == 0)
        {
            return $"no listening socket for {listener} in {procRoot}/net/tcp";
        }

        foreach (var (uid, inode) in sockets)
        {
            if (uid != userId)
            {
                return $"{listener} is held by a program of another user (uid {uid}), not this user's SyncThing";
            }

            var holder = Holder(inode);
            if (holder is null || !ServesThisHome(holder.Value.Pid))
            {
                return holder is { } found
                    ? $"{listener} is held by {Path.GetFileName(found.Executable)} (pid {found.Pid}), not the SyncThing of {syncthingHome}"
                    : $"{listener} is held by a program that is not the SyncThing of {syncthingHome}";
            }
        }

        return null;
    }

    /// <summary>SyncThing 1.x runs a monitor and an inner process with the same arguments; the inner one holds the listener.</summary>
    private bool ServesThisHome(int pid)
    {
        var arguments = Read(() => File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries));
        return arguments is not null && SyncthingProcesses.ServesHome(arguments, syncthingHome);
    }

    /// <summary>The listening sockets that accept connections to <paramref name="listener"/>: its own address or a wildcard, on its port.</summary>
    private List<(uint Uid, string Inode)> ListeningSockets(IPEndPoint listener)
    {
        var found = new List<(uint, string)>();
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            var path = Path.Combine(procRoot, "net", table);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != Listen || Endpoint(fields[1]) is not { } local || local.Port != listener.Port)
                {
                    continue;
                }

                if (local.Address.Equals(listener.Address) || local.Address.Equals(IPAddress.Any) || local.Address.Equals(IPAddress.IPv6Any)
                    || (local.Address.IsIPv4MappedToIPv6 && local.Address.MapToIPv4().Equals(listener.Address)))
                {
                    found.Add((uint.Parse(fields[7], CultureInfo.InvariantCulture), fields[9]));
                }
            }
        }

        return found;
    }

    /// <summary>"0100007F:55F0": the address as 32-bit words in host order (little-endian here), the port big-endian, in hex.</summary>
    private static IPEndPoint? Endpoint(string field)
    {
        var parts = field.Split(':');
        if (parts.Length != 2 || parts[0].Length is not (8 or 32) || !int.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var bytes = new byte[parts[0].Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            if (!uint.TryParse(parts[0].AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        return new IPEndPoint(new IPAddress(bytes), port);
    }

    /// <summary>The process whose fds hold the socket; this home's SyncThing is looked for first (a child may share the socket), the rest only to name a stranger.</summary>
    private (int Pid, string Executable)? Holder(string inode)
    {
        var target = $"socket:[{inode}]";
        var readable = new List<(int Pid, string Executable)>();
        foreach (var process in Directory.EnumerateDirectories(procRoot))
        {
            if (int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(() => new FileInfo(Path.Combine(process, "exe")).LinkTarget) is { } executable)
            {
                readable.Add((pid, executable));
            }
        }

        return readable
            .OrderBy(p => ServesThisHome(p.Pid) ? 0 : 1)
            .Select(p => ((int Pid, string Executable)?)p)
            .FirstOrDefault(p => Read(() => Directory.EnumerateFileSystemEntries(Path.Combine(procRoot, p!.Value.Pid.ToString(CultureInfo.InvariantCulture), "fd")).Any(fd => new FileInfo(fd).LinkTarget == target)));
    }

    /// <summary>Another user's process cannot be read, and any process may end while we look: either is "not this one".</summary>
    private static T? Read<T>(Func<T> look)
    {
        try
        {
            return look();
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            return default;
        }
    }
}
