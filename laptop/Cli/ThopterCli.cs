using System.CommandLine;
using Thopter.Laptop.Commands;

namespace Thopter.Laptop.Cli;

/// <summary>The `thopter` command tree. New `thopter sync` commands register in <see cref="Build"/>.</summary>
public static class ThopterCli
{
    public static RootCommand Build(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("thopter: real-time two-way file sync between this laptop and cloud devboxes");
        options.AddTo(root);

        var sync = new Command("sync", "Sync a folder with devboxes through SyncThing")
        {
            new InitCommand(),
            new ShowCommand(),
            new ListCommand(),
            new FoldersCommand(),
            new DeviceIdCommand(),
            new ClearCommand(),
            new PairCommand(),
            new UnpairCommand(),
            new PrepareSnapshotCommand(),
            new StatusCommand(),
            new ConflictsCommand(),
            new DoctorCommand(),
            new DaemonCommand(),
            new WatchCommand(),
        };
        new CommandRunner(options, environment).BindAll(sync);
        root.Subcommands.Add(sync);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Parse errors become <see cref="ExitCodes.BadInput"/>
    /// with the usual error/fix lines instead of System.CommandLine's default exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = Build(environment).Parse(args);
        // ProcessTerminationTimeout = null: System.CommandLine would otherwise answer SIGTERM by returning while the
        // command (and its transport child) still runs; Program's own signal handling cancels the token instead.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        if (parse.Errors.Count > 0)
        {
            var json = args.Contains("--json", StringComparer.Ordinal);
            var command = string.Join(' ', parse.CommandResult.Command.Name == parse.RootCommandResult.Command.Name
                ? ["thopter"]
                : new[] { "thopter" }.Concat(Path(parse.CommandResult)));
            CommandRunner.WriteError(error, json, new CliError(
                ExitCodes.BadInput,
                string.Join("; ", parse.Errors.Select(e => e.Message)),
                $"see `{command} --help`"));
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current.Parent is System.CommandLine.Parsing.CommandResult parent; current = parent)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }
}
