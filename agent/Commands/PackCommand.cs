using System.CommandLine;
using Microsoft.Extensions.Logging;
using Thopter.Agent.Seed;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Seed;
using Thopter.Shared.Folders;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>pack --folder NAME</c>: writes ~/NAME's entries that its .stignore does not exclude to stdout as one seed stream
/// (shared/Seed), which `thopter sync pair` unpacks into an empty laptop folder so SyncThing finds both copies equal
/// instead of sending every file itself. stdout carries the stream only; a failure is one line on stderr.
/// </summary>
public sealed class PackCommand : AgentCommand
{
    private readonly AgentDependencies dependencies;
    private readonly Option<string> folder = new("--folder") { Description = "folder name: packs ~/NAME", Required = true };

    public PackCommand(AgentDependencies dependencies)
        : base("pack", "write the folder's synced files to stdout as a seed stream (run by thopter sync pair through the transport)")
    {
        this.dependencies = dependencies;
        Options.Add(folder);
    }

    public override bool BareOutput => true;

    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var name = parse.GetValue(folder)!;
        if (FolderName.Problem(name) is { } problem)
        {
            throw new AgentException(ExitCodes.InvalidFolderName, $"--folder: invalid folder name: {problem}", "use one plain name such as \"code\" (letters, digits, '-', '_', '.')");
        }

        var path = Path.Combine(dependencies.UserHome, name);
        if (!Directory.Exists(path))
        {
            throw new AgentException(ExitCodes.SeedFolderMissing, $"{path} does not exist", $"run thopter-agent setup --folder {name} first (thopter sync pair does)");
        }

        var ignores = IgnoreMatcher.Load(path);
        var packer = new FolderPacker(path, ignores);
        var stdio = dependencies.OpenStdio();
        await using (stdio.Input.ConfigureAwait(false))
        await using (stdio.Output.ConfigureAwait(false))
        {
            try
            {
                var writer = await SeedWriter.StartAsync(stdio.Output, cancellationToken).ConfigureAwait(false);
                await packer.PackAsync(writer, cancellationToken).ConfigureAwait(false);
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                if (context.Verbose)
                {
                    context.Logger(Name).LogDebug("packed {Entries} entries, {Bytes} bytes of files", writer.Entries, writer.Bytes);
                }
            }
            catch (IOException error) when (!ErrorMapper.IsDiskFull(error) && error is not FileNotFoundException)
            {
                throw new AgentException(ExitCodes.SeedBroken, $"the seed stream broke: {error.Message}", "nothing to do: pair again, or let SyncThing send the files (it does so anyway)");
            }
        }

        foreach (var directory in packer.Unreadable)
        {
            context.Logger(Name).LogWarning("{Directory} could not be read and was left out of the seed", directory);
        }

        return ExitCodes.Ok.Value;
    }
}
