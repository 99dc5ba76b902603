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

        var sync = new Command("sync", "Sync a folder with devboxes through SyncThing");
        sync.Subcommands.Add(InitCommand.Create(options, environment));
        sync.Subcommands.Add(ShowCommand.Create(options, environment));
        sync.Subcommands.Add(ListCommand.Create(options, environment));
        sync.Subcommands.Add(FoldersCommand.Create(options, environment));
        sync.Subcommands.Add(DeviceIdCommand.Create(options, environment));
        sync.Subcommands.Add(ClearCommand.Create(options, environment));
        sync.Subcommands.Add(PairCommand.Create(options, environment));
        sync.Subcommands.Add(UnpairCommand.Create(options, environment));
        sync.Subcommands.Add(PrepareSnapshotCommand.Create(options, environment));
        sync.Subcommands.Add(StatusCommand.Create(options, environment));
        sync.Subcommands.Add(ConflictsCommand.Create(options, environment));
        sync.Subcommands.Add(DoctorCommand.Create(options, environment));
        sync.Subcommands.Add(DaemonCommand.Create(options, environment));
        sync.Subcommands.Add(WatchCommand.Create(options, environment));
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
            CommandRunner.WriteError(error, json, new CliFailure(
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
