using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Folders;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Pairing;
using Thopter.Laptop.Route;
using Thopter.Laptop.Seed;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.Transport;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync pair DEVBOX`: set SyncThing up on the devbox through its transport (thopter-agent setup), add the
/// devbox to the laptop's SyncThing and share the folder with it, then wait until both ends are connected and in sync.
/// Idempotent, and a devbox whose identity changed replaces its stale device entry instead of adding a second.
/// Everything that can be checked locally (settings, SyncThing, the folder) is checked before the devbox is touched.
/// </summary>
public sealed class PairCommand : LaptopCommand
{
    /// <summary>A day: longer waits are a typo, and timers cannot hold much more (about 49 days).</summary>
    public const int MaxTimeoutSeconds = 24 * 60 * 60;

    private readonly Argument<string> devbox = new("devbox") { Description = "A name for the devbox (letters, digits, '.', '_', '-'); also its SyncThing device name" };
    private readonly Option<string?> transport = new("--transport") { Description = "Command prefix that runs a command on the devbox, e.g. \"ssh box1\" or \"docker exec -u dev box1\" (default: the recorded one, else syncthing.defaultTransport)" };
    private readonly Option<string[]> agentArgs = new("--agent-arg") { Description = "Extra argument for `thopter-agent setup` (repeatable; merged into the remembered ones: an option given again replaces its remembered value)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<bool> resetAgentArgs = new("--reset-agent-args") { Description = "Forget the remembered agent arguments (only this pair's --agent-args remain)" };
    private readonly Option<string?> renameFrom = new("--rename-from") { Description = "The name this devbox was paired under until now: it is paired under the new name instead" };
    private readonly Option<int> timeout = new("--timeout") { Description = "Seconds to wait for the agent, the connection and the initial sync", DefaultValueFactory = _ => 300 };
    private readonly Option<bool> noWait = new("--no-wait") { Description = "Return once both ends are configured, without waiting for the connection and sync" };
    private readonly Option<string[]> folders = new("--folder") { Description = "A folder to share with the devbox (repeatable; added to what it syncs; default: every folder, or what it syncs already)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> route = new("--route") { Description = "How SyncThing reaches the devbox: tunnel (default: through the transport, nothing listens on the devbox's network), direct (its listen address, when this laptop can dial it) or public (global discovery and community relays)" };

    public PairCommand()
        : base("pair", "Set up sync with a devbox (run again at any time: it repairs and changes nothing else)")
    {
        route.AcceptOnlyFromAmong([.. DevboxRoute.All]);
        Arguments.Add(devbox);
        Options.Add(transport);
        Options.Add(agentArgs);
        Options.Add(resetAgentArgs);
        Options.Add(renameFrom);
        Options.Add(timeout);
        Options.Add(noWait);
        Options.Add(route);
        Options.Add(folders);
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => RunAsync(
        context,
        new PairRequest(
            context.Parse.GetValue(devbox)!,
            context.Parse.GetValue(renameFrom),
            context.Parse.GetValue(transport),
            context.Parse.GetValue(agentArgs) ?? [],
            context.Parse.GetValue(resetAgentArgs),
            context.Parse.GetValue(timeout),
            context.Parse.GetValue(noWait),
            context.Parse.GetValue(route),
            context.Parse.GetValue(folders) ?? []),
        cancellationToken);

    private sealed record PairRequest(string Name, string? RenameFrom, string? Transport, string[] AgentArgs, bool ResetAgentArgs, int TimeoutSeconds, bool NoWait, string? Route, string[] Folders)
    {
        /// <summary>The name the devbox is recorded under until this pair.</summary>
        public string PreviousName => RenameFrom ?? Name;
    }

    private static async Task<int> RunAsync(CommandContext context, PairRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (name, noWait, timeoutSeconds) = (request.Name, request.NoWait, request.TimeoutSeconds);
        if (DevboxName.Problem(name) is { } problem)
        {
            throw new ThopterException(ErrorKind.BadInput, $"invalid devbox name \"{name}\": {problem}", "use a short name such as \"box1\"");
        }

        if (timeoutSeconds is <= 0 or > MaxTimeoutSeconds)
        {
            throw new ThopterException(ErrorKind.BadInput, $"--timeout {timeoutSeconds} is not between 1 and {MaxTimeoutSeconds} seconds (a day)", "pass e.g. --timeout 120");
        }

        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        var settings = SyncthingSession.LoadInitialized(context);
        CheckRename(settings, request);
        var prefix = TransportResolver.Resolve(request.PreviousName, request.Transport, settings);
        settings.Devboxes.TryGetValue(request.PreviousName, out var recorded);
        var agentArgs = AgentArguments.Merge(request.ResetAgentArgs ? [] : recorded?.AgentArgs ?? [], request.AgentArgs);
        var route = request.Route ?? (recorded is not null ? DevboxRoute.Of(recorded) : DevboxRoute.Tunnel);
        if (route == DevboxRoute.Tunnel)
        {
            (prefix, var added) = StdinCarrier.Ensure(prefix);
            if (added)
            {
                context.Say($"{name}: the transport needs -i to carry the tunnel's stdin: using `{CommandPrefix.Format(prefix)}`");
            }

            if (!noWait && !context.Environment.UseDaemon)
            {
                throw new ThopterException(ErrorKind.DaemonUnavailable, "route tunnel runs through the thopter daemon, which this run may not use", "pair with --no-wait, or with --route direct");
            }
        }

        using var session = await SyncthingSession.OpenAsync(context, cancellationToken, settings).ConfigureAwait(false);
        var transport = new DevboxTransport(name, prefix, context.Environment.Processes);
        var timings = new JsonObject();

        context.Progress.Step($"{name}: checking `{transport.Describe}`");
        await transport.CheckReachableAsync(TimeSpan.FromSeconds(Math.Min(30, timeoutSeconds)), cancellationToken).ConfigureAwait(false);
        timings["transport"] = clock.ElapsedMilliseconds;
        var delivered = await AgentDelivery.EnsureAsync(context, transport, cancellationToken).ConfigureAwait(false);
        var agent = delivered.Client;
        timings["agentDelivery"] = clock.ElapsedMilliseconds;

        var laptopRelease = SyncthingVersionPin.LaptopRelease((await session.Client.GetVersionAsync(cancellationToken).ConfigureAwait(false)).Version);
        var setupArgs = SyncthingVersionPin.SetupArguments(RouteArguments(route, agentArgs), laptopRelease);
        context.Progress.Step($"{name}: running thopter-agent setup{(setupArgs.Count > 0 ? " " + CommandPrefix.Format(setupArgs) : string.Empty)}{(setupArgs.Count > agentArgs.Count ? $" (SyncThing {laptopRelease}, as on this laptop)" : string.Empty)}");
        var (folders, folderRecord) = FolderChoice.ForPair(settings, recorded, request.Folders);
        var home = context.Environment.Home;
        foreach (var own in folders.Where(f => f.IsOwn))
        {
            var path = FolderShare.Locate(own, name, home).LaptopPath;
            SyncFolderSetup.EnsureDirectory(path);
            SyncFolderSetup.EnsureIgnoreFile(path);
        }

        var report = await agent.SetupAsync(session.Laptop, FolderChoice.SetupArguments(folders, name), setupArgs, timeout, cancellationToken).ConfigureAwait(false);
        timings["agent"] = clock.ElapsedMilliseconds;
        foreach (var warning in report.Warnings)
        {
            context.Warn($"thopter-agent on \"{name}\": {warning}", "see the agent's message; sync works meanwhile");
        }

        var seed = noWait ? null : await PairSeed.RunAsync(
            context, session, agent, report.DeviceId, await FolderShare.ReadAsync(session.Client, folders, name, home, cancellationToken).ConfigureAwait(false), () => Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
        timings["seed"] = clock.ElapsedMilliseconds;

        var tunnelPort = route == DevboxRoute.Tunnel ? recorded?.TunnelPort ?? DevboxRoute.FreeLoopbackPort() : (int?)null;
        IReadOnlyList<string> addresses = route switch
        {
            DevboxRoute.Tunnel => [DevboxRoute.TunnelAddress(tunnelPort!.Value)],
            DevboxRoute.Public => [DeviceAddress.Dynamic],
            _ => await DeviceAddress.ChooseAsync(report.ListenAddress, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false),
        };

        // Read SyncThing's devices and folder share, change them and record the devbox under one lock,
        // from fresh copies: a concurrent pair must not overwrite this one's share or entry.
        PairPlan plan;
        using (await context.ConfigFile.LockAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            settings = context.ConfigFile.Load();
            context.ConfigFile.EnsureWritable();
            CheckRename(settings, request);
            settings.Devboxes.TryGetValue(request.PreviousName, out recorded);
            var devices = await session.Client.GetDevicesAsync(cancellationToken).ConfigureAwait(false);
            (folders, folderRecord) = FolderChoice.ForPair(settings, recorded, request.Folders);
            var shares = await FolderShare.ReadAsync(session.Client, folders, name, home, cancellationToken).ConfigureAwait(false);
            plan = PairPlanner.Plan(name, request.PreviousName, report.DeviceId, settings.Devboxes, addresses, session.Laptop, devices, shares);
            await PairPlanner.ApplyAsync(session.Client, plan, cancellationToken).ConfigureAwait(false);
            timings["laptop"] = clock.ElapsedMilliseconds;
            context.Progress.Step($"{name}: device {report.DeviceId.Short} {(plan.IsEmpty ? "already paired" : plan.DeviceIsNew ? "added" : "updated")}{(plan.RemoveDevices.Count > 0 ? $", replaced stale {string.Join(", ", plan.RemoveDevices.Select(s => s[..7]))}" : string.Empty)}");

            var entry = recorded is not null && recorded.DeviceId == report.DeviceId.ToString() && recorded.Transport.SequenceEqual(prefix) && recorded.AgentArgs.SequenceEqual(agentArgs)
                    && recorded.Route == route && recorded.TunnelPort == tunnelPort && recorded.AgentPath == TunnelAgentPath(route, agent)
                    && SameFolders(recorded.Folders, folderRecord)
                ? recorded
                : new DevboxEntry
                {
                    DeviceId = report.DeviceId.ToString(),
                    Transport = [.. prefix],
                    AgentArgs = [.. agentArgs],
                    PairedAt = context.Environment.Time.GetUtcNow(),
                    Route = route,
                    TunnelPort = tunnelPort,
                    AgentPath = TunnelAgentPath(route, agent),
                    Folders = folderRecord,
                    Unknown = recorded?.Unknown ?? [],
                };
            settings.Devboxes.Remove(request.PreviousName);
            settings.Devboxes[name] = entry;
            context.ConfigFile.Save(settings);
        }

        var served = await DaemonNotifier.ReloadAsync(context, cancellationToken).ConfigureAwait(false);
        if (route == DevboxRoute.Tunnel && !noWait && served is null)
        {
            throw new ThopterException(
                ErrorKind.DaemonUnavailable,
                $"{name} is configured on both ends, but route tunnel needs the thopter daemon and it could not be reached",
                $"run `thopter sync daemon start`, then `thopter sync pair {name}` again");
        }

        if (!noWait)
        {
            var waiter = new SyncWaiter(session, name, report.DeviceId, agent, context.Progress, context.Environment.Time);
            await waiter.WaitConnectedAsync(Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
            timings["connected"] = clock.ElapsedMilliseconds;
            await waiter.WaitInSyncAsync(Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
            timings["inSync"] = clock.ElapsedMilliseconds;
        }

        context.Result(new JsonObject
        {
            ["devbox"] = name,
            ["deviceId"] = report.DeviceId.ToString(),
            ["transport"] = new JsonArray([.. prefix.Select(p => (JsonNode?)p)]),
            ["route"] = route,
            ["folders"] = new JsonArray([.. folders.Select(f => (JsonNode?)FolderShare.Locate(f, name, home).Id)]),
            ["tunnelPort"] = tunnelPort,
            ["agentArgs"] = new JsonArray([.. agentArgs.Select(a => (JsonNode?)a)]),
            ["setupArgs"] = new JsonArray([.. setupArgs.Select(a => (JsonNode?)a)]),
            ["renamedFrom"] = request.RenameFrom,
            ["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode?)a)]),
            ["identity"] = report.IdentityAction,
            ["agent"] = delivered.ToJson(),
            ["changed"] = !plan.IsEmpty,
            ["deviceAdded"] = plan.DeviceIsNew,
            ["replaced"] = new JsonArray([.. plan.RemoveDevices.Select(s => (JsonNode?)s)]),
            ["waited"] = !noWait,
            ["seed"] = seed,
            ["timingsMs"] = timings,
        });
        context.Say($"paired {name} ({report.DeviceId.Short}) through `{transport.Describe}`, route {route}{(tunnelPort is { } p ? $" (127.0.0.1:{p})" : string.Empty)}: {string.Join(", ", folders.Select(f => f.IsOwn ? $"~/{f.Name} (own: ~/{f.Name}/{name} here)" : $"~/{f.Name}"))} {(noWait ? "is configured on both ends" : "is in sync")} ({clock.Elapsed.TotalSeconds:0.0} s)");
        context.Say($"thopter-agent setup arguments: {(setupArgs.Count > 0 ? CommandPrefix.Format(setupArgs) : "none")}{(request.RenameFrom is { } old ? $"; renamed from {old}" : string.Empty)}");
        if (plan.RemoveDevices.Count > 0)
        {
            context.Say($"replaced the stale device entry {string.Join(", ", plan.RemoveDevices)} (the devbox's identity changed: {report.IdentityReason ?? report.IdentityAction})");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// On the tunnel route the devbox's SyncThing listens on its own loopback (unless the agent arguments name a listen
    /// address) with discovery, relays and NAT off; on the public route it must not be isolated.
    /// </summary>
    private static IReadOnlyList<string> RouteArguments(string route, IReadOnlyList<string> agentArgs) => route switch
    {
        DevboxRoute.Tunnel => AgentArguments.Merge(["--listen", DevboxRoute.DevboxListenAddress, "--isolated"], agentArgs),
        _ => agentArgs,
    };

    private static bool SameFolders(List<string>? recorded, List<string>? wanted) =>
        recorded is null ? wanted is null : wanted is not null && recorded.SequenceEqual(wanted);

    /// <summary>The agent path the daemon's tunnels run, when it is not the plain name on the PATH.</summary>
    private static string? TunnelAgentPath(string route, AgentClient agent) =>
        route == DevboxRoute.Tunnel && agent.Path != AgentClient.Binary ? agent.Path : null;

    /// <summary>A rename moves a recorded devbox to a name not yet taken; checked again under the lock.</summary>
    private static void CheckRename(SyncSection settings, PairRequest request)
    {
        if (request.RenameFrom is not { } old)
        {
            return;
        }

        if (old == request.Name)
        {
            throw new ThopterException(ErrorKind.BadInput, $"--rename-from {old} names the devbox itself", $"leave --rename-from out to pair \"{old}\" again");
        }

        var renamed = DeviceIdCommand.Find(settings, old);

        // An own folder's SyncThing folder ID and laptop directory carry the devbox's name (NAME@OLD, ~/NAME/OLD): a rename
        // would give it a second folder on the devbox's ~/NAME. Until a rename moves them, it changes nothing.
        if (settings.FoldersOf(renamed).Where(f => f.IsOwn).Select(f => f.Name).ToList() is { Count: > 0 } own)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"cannot rename \"{old}\" to \"{request.Name}\": it syncs its own folder{(own.Count > 1 ? "s" : string.Empty)} {string.Join(", ", own.Select(n => $"{n} (~/{n}/{old}, SyncThing folder {n}@{old})"))}, which a rename does not move yet",
                $"pair it again as \"{old}\", or stop its own folders first with `thopter sync unpair {old} {string.Join(' ', own.Select(n => "--folder " + n))}` (their files stay here and on the devbox), then rename");
        }

        if (settings.Devboxes.ContainsKey(request.Name))
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"cannot rename \"{old}\" to \"{request.Name}\": a devbox named \"{request.Name}\" is already paired",
                $"choose another name, or `thopter sync unpair {request.Name}` first");
        }
    }

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        var left = timeout - clock.Elapsed;
        return left > TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5);
    }
}
