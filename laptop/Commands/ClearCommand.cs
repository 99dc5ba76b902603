using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync clear`: forget the sync settings (the `syncthing` key of ~/.thopter.json; other
/// keys stay). SyncThing's own configuration and the folder's files are left as they are.
/// </summary>
public sealed class ClearCommand() : LaptopCommand("clear", "Forget this laptop's sync settings (SyncThing and your files are not touched)")
{
    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => RunAsync(context, cancellationToken);

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        bool removed;
        using (await context.ConfigFile.LockAsync(ThopterConfigFile.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            removed = context.ConfigFile.Clear();
        }

        context.Result(new JsonObject { ["cleared"] = removed, ["settingsFile"] = context.ConfigFile.Path });
        context.Say(removed
            ? $"sync settings removed from {context.Pretty(context.ConfigFile.Path)} (backup: {context.Pretty(context.ConfigFile.Path)}.bak); SyncThing and your files are unchanged"
            : "no sync settings to remove");
        return ExitCodes.Ok;
    }
}
