using System.Globalization;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Status;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.Transport;
using Thopter.Laptop.Route;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Acceleration.Inotify;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Doctor;

/// <summary>
/// Checks every link from this laptop to each devbox, in order, and keeps going after a failure where the next check
/// still means something (a dead devbox does not hide the others). Checks that depend on a failed one are skipped.
/// </summary>
public sealed class Doctor(CommandContext context)
{
    /// <summary>SyncThing watches every directory; fewer watches than this and large trees silently lose live updates.</summary>
    public const int RecommendedWatches = 65536;

    private static readonly TimeSpan DevboxTimeout = TimeSpan.FromSeconds(20);
    private readonly List<DoctorCheck> checks = [];
    private CliEnvironment Environment => context.Environment;

    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(CancellationToken cancellationToken)
    {
        SyncSection settings;
        try
        {
            settings = SyncthingSession.LoadInitialized(context);
            Add(DoctorCheck.Ok("settings", $"{context.Pretty(context.ConfigFile.Path)}: folders {string.Join(", ", settings.Folders.Select(f => context.Pretty(f.LaptopPath(Environment.Home)) + (f.IsOwn ? " (own)" : string.Empty)))}, {settings.Devboxes.Count} devbox(es)"));
        }
        catch (Exception error) when (error is ThopterException or ThopterConfigException)
        {
            Add(Failed("settings", error));
            CheckInstalled();
            CheckInotify([]);
            return checks;
        }

        CheckInstalled();
        checks.AddRange(ConflictChecks.Run(Conflicts.Store.ConflictStore.ForHome(Environment.Home), Conflicts.DeviceNames.TargetsOf(settings, Environment.Home)));
        SyncthingSession? session = null;
        try
        {
            session = await OpenSessionAsync(settings, cancellationToken).ConfigureAwait(false);
            CheckInotify([.. AcceleratedFolders.Of(settings, Environment.Home).Select(f => f.Id == session?.FolderId ? session.FolderPath : f.LaptopPath)]);
            if (Environment.UseDaemon)
            {
                checks.AddRange(await DaemonChecks.RunAsync(context, cancellationToken).ConfigureAwait(false));
            }

            var answering = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, entry) in settings.Devboxes)
            {
                answering[name] = await CheckDevboxAsync(name, entry, session, cancellationToken).ConfigureAwait(false) ?? entry.DeviceId;
            }

            foreach (var group in SharedIdentities.Find(answering))
            {
                Add(DoctorCheck.Fail("devbox identities", SharedIdentities.Describe(group), SharedIdentities.Fix));
            }
        }
        finally
        {
            session?.Dispose();
        }

        return checks;
    }

    private void CheckInstalled()
    {
        var found = Environment.SearchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "syncthing"))
            .FirstOrDefault(File.Exists);
        Add(found is not null
            ? DoctorCheck.Ok("syncthing installed", found)
            : DoctorCheck.Fail("syncthing installed", "no `syncthing` on PATH", "install SyncThing (`apt install syncthing`, `brew install syncthing`, or https://syncthing.net/downloads/)"));
    }

    private async Task<SyncthingSession?> OpenSessionAsync(SyncSection settings, CancellationToken cancellationToken)
    {
        try
        {
            SyncthingSession.Locate(context, settings);
            Add(DoctorCheck.Ok("api key", "readable"));
        }
        catch (ThopterException error)
        {
            Add(Failed("api key", error));
            Skip("syncthing running", "no API key");
            return null;
        }

        try
        {
            var session = await SyncthingSession.OpenAsync(context, cancellationToken, settings).ConfigureAwait(false);
            Add(DoctorCheck.Ok("syncthing running", $"{session.Endpoint.Address} answers as {session.Laptop.Short}, key accepted"));
            Add(await FolderCheckAsync("folder", session.Client, session.FolderId, session.FolderPath, cancellationToken).ConfigureAwait(false));
            foreach (var (id, path) in AcceleratedFolders.Of(settings, Environment.Home).Where(f => f.Id != session.FolderId))
            {
                Add(await session.Client.GetFolderAsync(id, cancellationToken).ConfigureAwait(false) is null
                    ? DoctorCheck.Fail($"folder {id}", $"SyncThing has no folder {id} ({context.Pretty(path)})", "run `thopter sync pair DEVBOX` again for the devbox that syncs it (or `thopter sync init --folder NAME`)")
                    : await FolderCheckAsync($"folder {id}", session.Client, id, path, cancellationToken).ConfigureAwait(false));
            }

            Add(GuiCheck(await session.Client.GetGuiAsync(cancellationToken).ConfigureAwait(false)));
            return session;
        }
        catch (Exception error) when (error is ThopterException or SyncthingApiException)
        {
            var failure = ErrorMapper.Map(error, cancellationToken);
            Add(DoctorCheck.Fail(error is ThopterException { Kind: ErrorKind.NotInitialized } ? "folder" : "syncthing running", failure.Reason, failure.Fix));
            return null;
        }
    }

    /// <summary>One registered SyncThing folder: its directory exists and SyncThing has not stopped it.</summary>
    private async Task<DoctorCheck> FolderCheckAsync(string check, SyncthingRestClient client, string id, string path, CancellationToken cancellationToken)
    {
        var folder = await FolderHealth.ReadAsync(client, id, path, cancellationToken).ConfigureAwait(false);
        return !Directory.Exists(path)
            ? DoctorCheck.Fail(check, $"{id} is registered at {path}, which does not exist", "run `thopter sync init` to create it again")
            : folder.Stopped
                ? DoctorCheck.Fail(check, $"SyncThing has stopped {id} at {context.Pretty(path)}: {folder.Error}", folder.Fix!)
                : DoctorCheck.Ok(check, $"{id} registered at {context.Pretty(path)}, {folder.State}");
    }

    private static DoctorCheck GuiCheck(RestGui gui) => GuiLock.Classify(gui) switch
    {
        GuiLockState.Ours => DoctorCheck.Ok("syncthing gui", "locked: only API-key holders get in"),
        GuiLockState.OwnLogin => DoctorCheck.Ok("syncthing gui", $"your own GUI login (user \"{gui.User}\"{(gui.AuthMode == "ldap" ? ", LDAP" : string.Empty)})"),
        GuiLockState.OwnIncomplete => DoctorCheck.Fail("syncthing gui", $"a GUI user or password is set but no complete login: {GuiLock.OpenReason}", GuiLock.OwnIncompleteFix),
        _ => DoctorCheck.Fail("syncthing gui", $"no GUI user: {GuiLock.OpenReason}", GuiLock.OpenFix),
    };

    /// <summary>Checks one devbox; returns the device ID its agent answers with, when it answers.</summary>
    private async Task<string?> CheckDevboxAsync(string name, DevboxEntry entry, SyncthingSession? session, CancellationToken cancellationToken)
    {
        var label = $"devbox {name}";
        string? reported = null;
        if (entry.Transport.Count == 0)
        {
            Add(DoctorCheck.Fail(label, "no transport recorded", $"run `thopter sync pair {name} --transport PREFIX`"));
            return null;
        }

        Add(DevboxRoute.Of(entry) switch
        {
            DevboxRoute.Public => new DoctorCheck($"{label} route", CheckOutcome.Warn, "public: found through global discovery and reached through community relays (third-party servers; its SyncThing listens on the network)", $"`thopter sync pair {name} --route tunnel` keeps it on the transport"),
            DevboxRoute.Tunnel => DoctorCheck.Ok($"{label} route", $"tunnel through `{CommandPrefix.Format(entry.Transport)}` on 127.0.0.1:{entry.TunnelPort}"),
            var other => DoctorCheck.Ok($"{label} route", other),
        });

        try
        {
            var transport = new DevboxTransport(name, entry.Transport, Environment.Processes);
            await transport.CheckReachableAsync(DevboxTimeout, cancellationToken).ConfigureAwait(false);
            Add(DoctorCheck.Ok($"{label} reachable", $"`{transport.Describe}`"));
            var probe = await AgentProbe.RunAsync(transport, cancellationToken).ConfigureAwait(false);
            var plan = DeliveryPlan.Decide(probe, Environment.AgentBinaries.For(probe.Machine), DaemonVersion.Current);
            if (plan.Installed is not { } installed)
            {
                Add(DoctorCheck.Fail($"{label} agent", $"no thopter-agent on the devbox ({probe.Machine})", $"run `thopter sync pair {name}`: it installs this laptop's agent"));
                return null;
            }

            Add(plan.Send is null
                ? DoctorCheck.Ok($"{label} agent", $"thopter-agent {installed.Version ?? "(version unknown)"} at {installed.Path}: {plan.Reason}")
                : new DoctorCheck($"{label} agent", CheckOutcome.Warn, plan.Reason, $"run `thopter sync pair {name}`: it replaces the agent with this laptop's"));
            var agent = new AgentClient(transport, installed.Path);
            var status = await agent.StatusAsync(DevboxTimeout, cancellationToken).ConfigureAwait(false);
            reported = DevboxText.String(status.DeviceId);
            if (!status.Healthy)
            {
                var problems = DevboxText.Strings(status.Problems);
                var folderFix = DevboxText.Strings(status.Folders?.Select(f => f?.Fix)).FirstOrDefault();
                Add(DoctorCheck.Fail($"{label} syncthing", string.Join("; ", problems), folderFix is null ? $"run `thopter sync pair {name}` to set it up again" : $"on the devbox: {folderFix}"));
            }
            else if (reported != entry.DeviceId)
            {
                Add(DoctorCheck.Fail($"{label} identity", $"the devbox is now {Short(reported)}, paired as {Short(entry.DeviceId)} (cloned or reset)", $"run `thopter sync pair {name}`"));
            }
            else
            {
                Add(DoctorCheck.Ok($"{label} syncthing", $"healthy as {Short(reported)}"));
            }
        }
        catch (ThopterException failure)
        {
            Add(DoctorCheck.Fail($"{label} reachable", failure.Message, failure.Fix));
        }

        if (session is null)
        {
            return reported;
        }

        var connections = await session.Client.GetConnectionsAsync(cancellationToken).ConfigureAwait(false);
        if (connections.TryGetValue(entry.DeviceId, out var connection) && connection.Connected)
        {
            Add(connection.IsRelayed
                ? new DoctorCheck($"{label} connection", CheckOutcome.Warn, $"connected through a relay ({connection.Address}): works, but slowly", "open the devbox's sync port (22000/tcp) to the laptop, or use a VPN, for a direct connection")
                : DoctorCheck.Ok($"{label} connection", $"direct, {connection.Type} {connection.Address}"));
        }
        else
        {
            Add(DoctorCheck.Fail($"{label} connection", "not connected to the laptop's SyncThing", $"run `thopter sync pair {name}`; if it stays disconnected check that the devbox's sync port is reachable"));
        }

        return reported;
    }

    /// <summary>The inotify budget against what every laptop folder (shared and own) needs watched.</summary>
    private void CheckInotify(IReadOnlyList<string> folderPaths)
    {
        if (InotifyBudget.ReadForCurrentUser(Environment.ProcRoot) is not { } budget)
        {
            Skip("inotify watches", $"not Linux (no {Path.Combine(Environment.ProcRoot, "sys", "fs", "inotify")})");
            return;
        }

        // Directories the accelerator and SyncThing watch: everything but ignored trees.
        var directories = folderPaths.Distinct(StringComparer.Ordinal).Where(Directory.Exists).Sum(WatchedDirectories.Count);
        var needed = Math.Max(RecommendedWatches, directories * 2);
        var detail = $"{budget.WatchesUsed} of max_user_watches {budget.WatchLimit} in use, {budget.InstancesUsed} of {budget.InstanceLimit} instances ({directories} directories to watch)";
        Add(budget.WatchLimit >= needed && !budget.IsShort
            ? DoctorCheck.Ok("inotify watches", detail)
            : DoctorCheck.Fail("inotify watches", $"{detail}: too few left (want a limit of at least {needed})", $"`{budget.Fix}`"));
    }

    private void Skip(string name, string why) => Add(new DoctorCheck(name, CheckOutcome.Skipped, why));

    private static DoctorCheck Failed(string name, Exception error)
    {
        var failure = ErrorMapper.Map(error, CancellationToken.None);
        return DoctorCheck.Fail(name, failure.Reason, failure.Fix);
    }

    private static string Short(string? id) => id is { Length: >= 7 } ? id[..7] : id ?? "(none)";

    private void Add(DoctorCheck check) => checks.Add(check);
}
