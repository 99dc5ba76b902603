using System.CommandLine;
using System.Runtime.InteropServices;
using Thopter.Agent.Commands;
using Thopter.Agent.Output;
using Thopter.Shared.Processes;

namespace Thopter.Agent;

/// <summary>
/// thopter-agent's entry point and command tree. Real dependencies are made here, by hand; tests call
/// <see cref="InvokeAsync"/> with fakes and their own writers.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var http = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20) };
        var dependencies = new AgentDependencies(
            http,
            new ProcessRunner(),
            TimeProvider.System,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            RuntimeInformation.OSArchitecture)
        {
            StderrIsTerminal = !Console.IsErrorRedirected,
        };
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await InvokeAsync(args, dependencies, new DeferredConsoleOut(), Console.Error, stop.Token).ConfigureAwait(false);

        // Ctrl-C / SIGTERM cancel the command instead of killing the process, so it cleans up (no half-written file
        // survives) and still prints its error document with exit 130.
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
    }

    public static async Task<int> InvokeAsync(string[] args, AgentDependencies dependencies, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions(dependencies.DefaultSyncthingHome);
        var runner = new CommandRunner(dependencies, globals);
        var root = BuildCommandTree(dependencies, globals, runner);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var bare = parse.CommandResult.Command is AgentCommand { BareOutput: true } || args.Contains("--device-id");
            var usage = new AgentError(ExitCodes.Usage, string.Join("; ", parse.Errors.Select(e => e.Message)), "see thopter-agent --help");
            CommandRunner.Report(bare, output, error, usage);
            return usage.Code.Value;
        }

        // ProcessTerminationTimeout = null: System.CommandLine would otherwise answer a signal by returning at once while
        // the command is still running; Main's own signal handling cancels the token and lets the command finish.
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand BuildCommandTree(AgentDependencies dependencies, GlobalOptions globals, CommandRunner runner)
    {
        var deviceId = new DeviceIdCommand();
        AgentCommand[] commands =
        [
            deviceId,
            new InstallCommand(dependencies),
            new SetupCommand(dependencies),
            new StatusCommand(dependencies),
            new PrepareSnapshotCommand(dependencies),
            new ResetIdentityCommand(dependencies),
            new UninstallCommand(dependencies),
            new AccelerateCommand(dependencies),
            new GuardIdentityCommand(dependencies),
            new TunnelCommand(dependencies),
            new PackCommand(dependencies),
        ];

        var deviceIdFlag = new Option<bool>("--device-id") { Description = "print this devbox's SyncThing device ID (same as the device-id command)" };
        var root = new RootCommand("thopter-agent: provisions SyncThing on a devbox; prints one JSON document on stdout")
        {
            globals.Home, globals.Verbose, globals.LogFormat, deviceIdFlag,
        };
        foreach (var command in commands)
        {
            runner.Bind(command);
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(RunCommand.Create());

        root.SetAction((parse, ct) =>
        {
            if (parse.GetValue(deviceIdFlag))
            {
                return runner.RunAsync(deviceId, parse, ct);
            }

            CommandRunner.Report(false, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
                new AgentError(ExitCodes.Usage, "no command given", "see thopter-agent --help"));
            return Task.FromResult(ExitCodes.Usage.Value);
        });
        return root;
    }

}
