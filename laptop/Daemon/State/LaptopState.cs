using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Daemon.State;

/// <summary>
/// What the daemon knows about the laptop and every paired devbox, kept current from SyncThing's event stream so a
/// status request is answered from memory. Every change that a watcher should see is also published as an event.
/// </summary>
public sealed class LaptopState(EventHub events, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Devbox> byDeviceId = new(StringComparer.Ordinal);

    // Every configured name in name order: two names may share one device ID (a copied devbox), and status shows both.
    private IReadOnlyList<(string Name, string DeviceId)> names = [];
    private readonly Dictionary<string, FolderHealth> healthById = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Id, string Path)> laptopFolders = [];
    private bool initialized;
    private bool reachable;
    private bool checkedOnce;
    private string address = string.Empty;
    private string folderId = string.Empty;
    private string folderPath = string.Empty;
    private IReadOnlyDictionary<string, int> conflictsByShortId = new Dictionary<string, int>();
    private string lastError = string.Empty;
    private readonly SortedDictionary<string, Accelerator> accelerators = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> routesByName = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, TunnelRoute> tunnelsByName = new Dictionary<string, TunnelRoute>();
    private IReadOnlyDictionary<string, IReadOnlyList<SyncedFolder>> foldersByName = new Dictionary<string, IReadOnlyList<SyncedFolder>>();
    private IReadOnlySet<(string Folder, string Device)> shares = new HashSet<(string, string)>();

    /// <summary>The SyncThing folders each devbox syncs, from ~/.thopter.json: status shows each one's completion.</summary>
    public void SyncedFolders(IReadOnlyDictionary<string, IReadOnlyList<SyncedFolder>> byName)
    {
        lock (gate)
        {
            foldersByName = byName;
        }
    }

    /// <summary>Every (folder, device) pair whose completion status shows: the follower reads these on a refresh.</summary>
    public IReadOnlyList<(string Folder, string Device)> FolderPairs()
    {
        lock (gate)
        {
            return [.. names.SelectMany(n => foldersByName.GetValueOrDefault(n.Name, []).Select(f => (f.Id, n.DeviceId))).Distinct()];
        }
    }

    /// <summary>Each devbox's route (tunnel, direct, public) and, on the tunnel route, its listener: status shows them.</summary>
    public void Routes(IReadOnlyDictionary<string, string> routes, IReadOnlyList<TunnelRoute> tunnels)
    {
        lock (gate)
        {
            routesByName = routes;
            tunnelsByName = tunnels.ToDictionary(t => t.Devbox, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// A new configuration (start or reload): the laptop's SyncThing folders (the default one first) and the devbox
    /// list come from ~/.thopter.json; SyncThing facts are refreshed next.
    /// </summary>
    public void Configure(string syncthingAddress, IReadOnlyList<(string Id, string Path)> folders, IReadOnlyDictionary<string, string> devboxDeviceIds)
    {
        lock (gate)
        {
            laptopFolders = folders;
            foreach (var gone in healthById.Keys.Where(id => !folders.Any(f => f.Id == id)).ToList())
            {
                healthById.Remove(gone);
            }

            initialized = true;
            // The new devbox list's connections and completions come with the next refresh: until then a status
            // request waits (SyncthingChecked) rather than show devboxes as unknown to SyncThing.
            checkedOnce = false;
            address = syncthingAddress;
            (folderId, folderPath) = folders.Count > 0 ? folders[0] : (string.Empty, string.Empty);
            var previous = new Dictionary<string, Devbox>(byDeviceId, StringComparer.Ordinal);
            byDeviceId.Clear();
            names = [.. devboxDeviceIds.Select(d => (d.Key, d.Value)).OrderBy(d => d.Key, StringComparer.Ordinal)];
            foreach (var (name, deviceId) in devboxDeviceIds)
            {
                byDeviceId[deviceId] = previous.TryGetValue(deviceId, out var kept) && kept.Name == name ? kept : new Devbox(name, deviceId);
            }
        }
    }

    public void NotInitialized(string why)
    {
        lock (gate)
        {
            initialized = false;
            reachable = false;
            checkedOnce = true;
            byDeviceId.Clear();
            names = [];
            laptopFolders = [];
            healthById.Clear();
            lastError = why;
        }
    }

    /// <summary>The accelerator now running on SyncThing folder <paramref name="folderId"/>; null when it stopped.</summary>
    public void Accelerating(string folderId, Accelerator? running)
    {
        lock (gate)
        {
            if (running is null)
            {
                accelerators.Remove(folderId);
            }
            else
            {
                accelerators[folderId] = running;
            }
        }
    }

    /// <summary>Raised when SyncThing answers again after it did not (it restarted, or the daemon started before it).</summary>
    public event Action? SyncthingBack;

    public void SyncthingReachable(bool now, string? error)
    {
        bool changed;
        lock (gate)
        {
            changed = reachable != now;
            reachable = now;
            checkedOnce = true;
            lastError = error ?? string.Empty;
            if (!now)
            {
                foreach (var devbox in byDeviceId.Values)
                {
                    devbox.Connected = false;
                }
            }
        }

        if (changed)
        {
            Publish(now ? DaemonEvent.Types.Kind.SyncthingUp : DaemonEvent.Types.Kind.SyncthingDown, string.Empty, error ?? address);
            if (now)
            {
                SyncthingBack?.Invoke();
            }
        }
    }

    public void Error(string? devboxDeviceId, string message)
    {
        string name;
        lock (gate)
        {
            name = devboxDeviceId is not null && byDeviceId.TryGetValue(devboxDeviceId, out var devbox) ? devbox.Name : string.Empty;
            if (devboxDeviceId is not null && byDeviceId.TryGetValue(devboxDeviceId, out var found))
            {
                found.LastError = message;
            }
            else
            {
                lastError = message;
            }
        }

        Publish(DaemonEvent.Types.Kind.Error, name, message);
    }

    /// <summary>The facts a full REST refresh gathered (after start, reload, a SyncThing restart or a config change).</summary>
    public void Refresh(
        IReadOnlyDictionary<string, DeviceConnection> connections,
        IReadOnlyDictionary<string, DeviceStatistics> stats,
        IReadOnlySet<string> knownDevices,
        IReadOnlyDictionary<(string Folder, string Device), FolderCompletion> completions,
        IReadOnlySet<(string Folder, string Device)> sharedPairs)
    {
        var changes = new List<(DaemonEvent.Types.Kind, string, string)>();
        lock (gate)
        {
            shares = sharedPairs;
            foreach (var devbox in byDeviceId.Values)
            {
                devbox.Known = knownDevices.Contains(devbox.DeviceId);
                var connected = connections.TryGetValue(devbox.DeviceId, out var connection) && connection.Connected;
                if (connected != devbox.Connected)
                {
                    changes.Add((connected ? DaemonEvent.Types.Kind.Connected : DaemonEvent.Types.Kind.Disconnected, devbox.Name, connected ? connection!.Address : string.Empty));
                }

                devbox.Connected = connected;
                devbox.Address = connected ? connection!.Address : string.Empty;
                devbox.ConnectionType = connected ? connection!.Type : string.Empty;
                devbox.LastSeen = stats.TryGetValue(devbox.DeviceId, out var s) && s.LastSeen is { } seen && !seen.StartsWith("1970", StringComparison.Ordinal) ? seen : string.Empty;
                devbox.Completion = completions.TryGetValue((folderId, devbox.DeviceId), out var completion) ? completion : null;
                devbox.FolderCompletions.Clear();
                foreach (var ((folder, device), found) in completions)
                {
                    if (device == devbox.DeviceId)
                    {
                        devbox.FolderCompletions[folder] = found;
                    }
                }
            }
        }

        foreach (var (kind, name, detail) in changes)
        {
            Publish(kind, name, detail);
        }
    }

    /// <summary>A laptop folder's state as SyncThing reports it; stopping and recovering are published.</summary>
    public void Folder(string id, FolderHealth health)
    {
        bool changed;
        string named;
        lock (gate)
        {
            var before = healthById.GetValueOrDefault(id);
            changed = (before?.Stopped ?? false) != health.Stopped || before?.Error != health.Error;
            healthById[id] = health;
            // The default folder reads as before; another folder is named.
            named = id == folderId ? "the folder" : $"folder {id}";
        }

        if (changed)
        {
            Publish(DaemonEvent.Types.Kind.Error, string.Empty, health.Stopped ? $"{named} is stopped: {health.Error}" : $"{named} runs again");
        }
    }

    public void Connected(string deviceId, string remoteAddress, string type)
    {
        var name = Update(deviceId, d =>
        {
            d.Connected = true;
            d.Address = remoteAddress;
            d.ConnectionType = type;
            d.LastError = string.Empty;
        });
        if (name is not null)
        {
            Publish(DaemonEvent.Types.Kind.Connected, name, $"{type} {remoteAddress}");
        }
    }

    public void Disconnected(string deviceId, string? error)
    {
        var name = Update(deviceId, d =>
        {
            d.Connected = false;
            d.Address = string.Empty;
            d.ConnectionType = string.Empty;
            d.LastSeen = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            d.LastError = error ?? string.Empty;
        });
        if (name is not null)
        {
            Publish(DaemonEvent.Types.Kind.Disconnected, name, error ?? string.Empty);
        }
    }

    /// <summary>SyncThing's completion of <paramref name="folder"/> on the device; the default folder's is also the devbox's own figure.</summary>
    public void Completion(string deviceId, string folder, double completion, long needItems)
    {
        var name = Update(deviceId, d =>
        {
            var figure = new FolderCompletion { Completion = completion, NeedItems = needItems };
            d.FolderCompletions[folder] = figure;
            if (folder == folderId)
            {
                d.Completion = figure;
            }
        });
        if (name is not null)
        {
            Publish(DaemonEvent.Types.Kind.Completion, name, $"{(folder == folderId ? string.Empty : folder + ": ")}{completion:0.#} %, {needItems} items needed");
        }
    }

    /// <summary>A devbox announced changed files (RemoteIndexUpdated), or the laptop indexed its own (deviceId null).</summary>
    public void FilesSynced(string? deviceId, string detail)
    {
        var name = deviceId is null ? string.Empty : Update(deviceId, _ => { });
        if (deviceId is null || name is not null)
        {
            Publish(DaemonEvent.Types.Kind.FilesSynced, name ?? string.Empty, detail);
        }
    }

    /// <summary>Conflict copies in the folder, counted per short device ID of the device whose change won.</summary>
    public void Conflicts(IReadOnlyDictionary<string, int> byShortId, string? newConflict)
    {
        lock (gate)
        {
            conflictsByShortId = byShortId;
        }

        if (newConflict is not null)
        {
            Publish(DaemonEvent.Types.Kind.Conflict, string.Empty, newConflict);
        }
    }

    public void Reloaded(int devboxes) => Publish(DaemonEvent.Types.Kind.Reloaded, string.Empty, $"{devboxes} devboxes");

    public string? NameOf(string deviceId)
    {
        lock (gate)
        {
            return byDeviceId.TryGetValue(deviceId, out var devbox) ? devbox.Name : null;
        }
    }

    /// <summary>Whether SyncThing reports the device connected (by any route), as its events last said.</summary>
    public bool IsConnected(string deviceId)
    {
        lock (gate)
        {
            return byDeviceId.TryGetValue(deviceId, out var devbox) && devbox.Connected;
        }
    }

    public IReadOnlyList<string> DeviceIds()
    {
        lock (gate)
        {
            return [.. byDeviceId.Keys];
        }
    }

    public StatusReply Snapshot(string? only)
    {
        lock (gate)
        {
            var folderHealth = healthById.GetValueOrDefault(folderId);
            var reply = new StatusReply
            {
                Initialized = initialized,
                SyncthingReachable = reachable,
                SyncthingChecked = checkedOnce,
                SyncthingAddress = address,
                FolderId = folderId,
                FolderPath = folderPath,
                Conflicts = conflictsByShortId.Values.Sum(),
                LastError = lastError,
                Accelerator = AcceleratorSnapshot(),
                FolderState = folderHealth?.State ?? string.Empty,
                FolderError = folderHealth?.Error ?? string.Empty,
                FolderFix = folderHealth?.Fix ?? string.Empty,
            };
            reply.LaptopFolders.AddRange(laptopFolders.Select(f => FolderApi(f.Id, f.Path, healthById.GetValueOrDefault(f.Id))));
            foreach (var (name, deviceId) in names)
            {
                if ((string.IsNullOrEmpty(only) || name == only) && byDeviceId.TryGetValue(deviceId, out var devbox))
                {
                    var row = devbox.ToApi(conflictsByShortId.GetValueOrDefault(deviceId.Length >= 7 ? deviceId[..7] : deviceId));
                    row.Name = name;
                    row.Route = routesByName.GetValueOrDefault(name, string.Empty);
                    row.Folders.AddRange(foldersByName.GetValueOrDefault(name, []).Select(f => devbox.FolderApi(f, shares.Contains((f.Id, deviceId)))));
                    if (tunnelsByName.TryGetValue(name, out var tunnel))
                    {
                        row.TunnelPort = tunnel.Port;
                        row.OpenTunnels = tunnel.Health.Open;
                        row.TunnelError = tunnel.Health.Last is { Reached: false, Failure: { } failure } ? failure : string.Empty;
                    }
                    reply.Devboxes.Add(row);
                }
            }

            return reply;
        }
    }

    private static LaptopFolderState FolderApi(string id, string path, FolderHealth? health) => new()
    {
        FolderId = id,
        FolderPath = path,
        State = health?.State ?? string.Empty,
        Error = health?.Error ?? string.Empty,
        Fix = health?.Fix ?? string.Empty,
    };

    private AcceleratorState AcceleratorSnapshot()
    {
        // One accelerator per SyncThing folder (each shared folder, each devbox's own folder): watching only when all are.
        if (accelerators.Count == 0)
        {
            return new AcceleratorState();
        }

        var counters = accelerators.Values.Select(a => a.Counters).ToList();
        var state = new AcceleratorState
        {
            Watching = accelerators.Values.All(a => a.Watching.IsCompletedSuccessfully),
            Scans = counters.Sum(c => c.ScansSucceeded),
            PathsScanned = counters.Sum(c => c.PathsScanned),
            Failures = counters.Sum(c => c.Failures),
            LastError = counters.Select(c => c.LastError).FirstOrDefault(e => e is not null) ?? string.Empty,
        };
        state.WatchedFolders.AddRange(accelerators.Where(a => a.Value.Watching.IsCompletedSuccessfully).Select(a => a.Key));
        return state;
    }

    private string? Update(string deviceId, Action<Devbox> change)
    {
        lock (gate)
        {
            if (!byDeviceId.TryGetValue(deviceId, out var devbox))
            {
                return null;
            }

            change(devbox);
            devbox.LastActivity = time.GetUtcNow().ToUnixTimeMilliseconds();
            return devbox.Name;
        }
    }

    private void Publish(DaemonEvent.Types.Kind kind, string devbox, string detail) =>
        events.Publish(new DaemonEvent { Kind = kind, Devbox = devbox, Detail = detail, Time = time.GetUtcNow().ToUnixTimeMilliseconds() });

    private sealed class Devbox(string name, string deviceId)
    {
        public string Name { get; } = name;

        public string DeviceId { get; } = deviceId;

        public bool Known { get; set; }

        public bool Connected { get; set; }

        public string Address { get; set; } = string.Empty;

        public string ConnectionType { get; set; } = string.Empty;

        public string LastSeen { get; set; } = string.Empty;

        public long LastActivity { get; set; }

        public string LastError { get; set; } = string.Empty;

        public FolderCompletion? Completion { get; set; }

        public Dictionary<string, FolderCompletion> FolderCompletions { get; } = new(StringComparer.Ordinal);

        public FolderState FolderApi(SyncedFolder folder, bool shared)
        {
            var found = FolderCompletions.GetValueOrDefault(folder.Id);
            return new FolderState
            {
                FolderId = folder.Id,
                Name = folder.Name,
                Own = folder.Own,
                Shared = shared,
                HasCompletion = found is not null,
                Completion = found?.Completion ?? 0,
                NeedItems = found?.NeedItems ?? 0,
            };
        }

        public DevboxState ToApi(int conflictCount) => new()
        {
            Name = Name,
            DeviceId = DeviceId,
            KnownToSyncthing = Known,
            Connected = Connected,
            Address = Address,
            ConnectionType = ConnectionType,
            Relayed = ConnectionType.StartsWith("relay", StringComparison.Ordinal),
            HasCompletion = Completion is not null,
            Completion = Completion?.Completion ?? 0,
            NeedItems = Completion?.NeedItems ?? 0,
            Conflicts = conflictCount,
            LastSeen = LastSeen,
            LastActivity = LastActivity,
            LastError = LastError,
        };
    }
}
