using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;

namespace Thopter.Laptop.Commands;

/// <summary>`thopter sync device-id DEVBOX`: the SyncThing device ID a paired devbox was registered with.</summary>
public static class DeviceIdCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var devbox = new Argument<string>("devbox") { Description = "Name of a paired devbox (see `thopter sync list`)" };
        var command = new Command("device-id", "Print a paired devbox's SyncThing device ID");
        command.Arguments.Add(devbox);
        CommandRunner.SetAction(command, options, environment, (context, _) => Task.FromResult(Run(context, context.Parse.GetValue(devbox)!)));
        return command;
    }

    private static int Run(CommandContext context, string name)
    {
        var settings = context.ConfigFile.Load();
        if (!settings.Devboxes.TryGetValue(name, out var entry))
        {
            var known = settings.Devboxes.Count == 0 ? "no devboxes are paired" : $"paired: {string.Join(", ", settings.Devboxes.Keys)}";
            throw new CliFailure(ExitCodes.NotFound, $"no paired devbox named \"{name}\" ({known})", "check the name with `thopter sync list`");
        }

        context.Result(new JsonObject { ["name"] = name, ["deviceId"] = entry.DeviceId });
        context.Say(entry.DeviceId);
        return ExitCodes.Ok;
    }
}
