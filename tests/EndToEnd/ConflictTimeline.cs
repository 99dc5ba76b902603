using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Thopter.Laptop.Daemon.Api;
using Thopter.Shared.Config;
using Thopter.Shared.Conflicts;
using Thopter.Shared.Rest;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// Where one conflict round's time goes, for the test's output (never asserted on): SyncThing's own events on the
/// laptop and on each devbox (their REST APIs: devboxes share the host network) and the daemon's collection, each as
/// milliseconds after the laptop's SyncThing was launched. Every SyncThing keeps its default event buffer from its start
/// (all types but the disk ones), so nothing has to subscribe in advance; the devboxes' are read from the id each had
/// when the round began.
/// </summary>
public sealed class ConflictTimeline
{
    private static readonly string[] Kept =
    [
        "StartupComplete", "DeviceConnected", "DeviceDisconnected", "RemoteIndexUpdated", "LocalIndexUpdated", "ItemStarted", "ItemFinished",
        "LocalChangeDetected", "RemoteChangeDetected",
    ];
    private readonly IReadOnlyList<(TestDevbox Box, SyncthingRestClient Api, long Since)> devboxes;

    private ConflictTimeline(IReadOnlyList<(TestDevbox, SyncthingRestClient, long)> devboxes) => this.devboxes = devboxes;

    /// <summary>Notes each devbox's newest event id; call before the round.</summary>
    public static async Task<ConflictTimeline> BeginAsync(IEnumerable<TestDevbox> boxes)
    {
        var list = new List<(TestDevbox, SyncthingRestClient, long)>();
        foreach (var box in boxes)
        {
            var key = SyncthingConfigDocument.Parse(await box.Devbox.ReadFileAsync("/home/dev/.local/state/syncthing/config.xml")).Gui!.ApiKey;
            var api = new SyncthingRestClient(new Uri($"http://127.0.0.1:{box.GuiPort}/"), new SyncthingApiKey(key));
            var seen = await api.GetEventsAsync(0, null, TimeSpan.Zero);
            list.Add((box, api, seen.Count == 0 ? 0 : seen.Max(e => e.Id)));
        }

        return new ConflictTimeline(list);
    }

    /// <summary>One line per event that concerns <paramref name="file"/>, its conflict copies, a connection or an index, in time order.</summary>
    public async Task<IReadOnlyList<string>> DescribeAsync(EndToEndWorld world, DateTimeOffset start, string file, DaemonEventRecorder daemon)
    {
        var lines = new List<(double At, string Text)>();
        using (var laptop = world.Rest())
        {
            lines.AddRange(Lines("laptop", await laptop.GetEventsAsync(0, null, TimeSpan.Zero), start, file));
            // The disk events the daemon's collector reads to name whose version a copy holds.
            lines.AddRange(Lines("laptop", await laptop.GetDiskEventsAsync(0, TimeSpan.Zero), start, file));
        }

        foreach (var (box, api, since) in devboxes)
        {
            lines.AddRange(Lines(box.Name, await api.GetEventsAsync(since, null, TimeSpan.Zero), start, file));
            api.Dispose();
        }

        lines.AddRange(daemon.Snapshot()
            .Where(e => e.Kind is DaemonEvent.Types.Kind.ConflictCollected or DaemonEvent.Types.Kind.Conflict)
            .Select(e => ((DateTimeOffset.FromUnixTimeMilliseconds(e.Time) - start).TotalMilliseconds, $"daemon {e.Kind} {e.Devbox}")));
        return [.. lines.OrderBy(l => l.At).Select(l => $"{l.At,7:0} ms  {l.Text}")];
    }

    private static IEnumerable<(double, string)> Lines(string who, IReadOnlyList<SyncthingEvent> events, DateTimeOffset start, string file) =>
        events
            .Where(e => Kept.Contains(e.Type) && Concerns(e, file))
            .Select(e => ((Time(e) - start).TotalMilliseconds, $"{who} {e.Type} {Detail(e)}"))
            .Where(l => l.Item1 > -1000);

    // SyncThing writes nanoseconds; .NET reads at most seven fractional digits.
    private static DateTimeOffset Time(SyncthingEvent e) =>
        DateTimeOffset.Parse(Regex.Replace(e.Time, @"(\.\d{7})\d+", "$1"), CultureInfo.InvariantCulture);

    private static bool Concerns(SyncthingEvent e, string file) =>
        (e.DataString("item") ?? e.DataString("path")) is not { } item || item == file || IsCopyOf(item, file);

    private static bool IsCopyOf(string name, string file) =>
        (ConflictName.TryParse(name) ?? ConflictName.OfDownload(name))?.OriginalName == file;

    private static string Detail(SyncthingEvent e) => e.Type switch
    {
        "LocalChangeDetected" or "RemoteChangeDetected" => $"{e.DataString("action")} {e.DataString("path")} by {e.DataString("modifiedBy")}",
        "ItemStarted" or "ItemFinished" => $"{e.DataString("action")} {e.DataString("item")}{(e.DataString("error") is { Length: > 0 } error ? " error: " + error : string.Empty)}",
        "LocalIndexUpdated" => e.Data.TryGetProperty("filenames", out var names) && names.ValueKind == JsonValueKind.Array
            ? string.Join(", ", names.EnumerateArray().Select(n => n.GetString()))
            : string.Empty,
        "RemoteIndexUpdated" => $"from {e.DataString("device")?[..7]} {Number(e, "items")} items",
        "DeviceConnected" or "DeviceDisconnected" => e.DataString("id")?[..7] ?? string.Empty,
        _ => string.Empty,
    };

    private static string Number(SyncthingEvent e, string name) =>
        e.Data.TryGetProperty(name, out var value) ? value.ToString() : "?";
}
