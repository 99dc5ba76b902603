using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Serilog.Events;
using Thopter.Shared.Logging;
using Thopter.Agent.Acceleration;
using Thopter.Agent.Supervision;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>accelerate</c>: runs beside SyncThing until stopped, asking it to scan exactly the paths that just changed, so a
/// write reaches the laptop in milliseconds instead of after the watcher delay. Everything (REST address, API key,
/// folders) comes from config.xml in --home; nothing secret is on the command line. Long-running: it prints JSON only
/// when it cannot start, and logs to stderr. Once running, a missing config or a restarting SyncThing is waited out.
/// </summary>
public sealed class AccelerateCommand(AgentDependencies dependencies)
    : AgentCommand("accelerate", "watch the synced folders and trigger SyncThing scans at once (runs until stopped)")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var source = new AcceleratorConfigSource(context.SyncthingHome, dependencies.UserHome);
        if (source.Read() is (null, var problem))
        {
            throw new AgentException(ExitCodes.NotSetUp, $"nothing to accelerate: {problem}",
                "run `thopter-agent setup` first (or pass the SyncThing home with --home)");
        }

        var builder = SupervisorHost.CreateBuilder(ThopterLog.Level(context.Verbose, LogEventLevel.Information), context.LogFormat);
        builder.Services.AddAccelerator(context.SyncthingHome, dependencies.UserHome);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok.Value;
    }
}
