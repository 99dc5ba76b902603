using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;

namespace Thopter.Laptop.Commands;

/// <summary>`thopter sync list`: the paired devboxes.</summary>
public sealed class ListCommand() : LaptopCommand("list", "List the paired devboxes")
{
    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => Task.FromResult(Run(context));

    private static int Run(CommandContext context)
    {
        var settings = context.ConfigFile.Load();
        var devboxes = new JsonArray();
        foreach (var (name, entry) in settings.Devboxes)
        {
            devboxes.Add((JsonNode)new JsonObject
            {
                ["name"] = name,
                ["deviceId"] = entry.DeviceId,
                ["transport"] = new JsonArray([.. entry.Transport.Select(part => (JsonNode?)JsonValue.Create(part))]),
                ["pairedAt"] = entry.PairedAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            });
        }

        context.Result(new JsonObject { ["devboxes"] = devboxes });
        if (settings.Devboxes.Count == 0)
        {
            context.Say("no devboxes paired yet");
            return ExitCodes.Ok;
        }

        var width = Math.Max(4, settings.Devboxes.Keys.Max(name => name.Length));
        context.Say($"{"NAME".PadRight(width)}  DEVICE   PAIRED                TRANSPORT");
        foreach (var (name, entry) in settings.Devboxes)
        {
            var shortId = entry.DeviceId.Length >= 7 ? entry.DeviceId[..7] : entry.DeviceId;
            var paired = entry.PairedAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "-";
            context.Say($"{name.PadRight(width)}  {shortId,-7}  {paired,-20}  {string.Join(' ', entry.Transport)}");
        }

        return ExitCodes.Ok;
    }
}
