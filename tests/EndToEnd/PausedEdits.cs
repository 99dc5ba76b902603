using System.Diagnostics;
using Thopter.Shared.Rest;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// A real concurrent edit between the laptop's SyncThing and one devbox: the laptop pauses the device through SyncThing's
/// REST API, both sides edit while apart (the later edit wins the conflict), then the laptop resumes it.
/// </summary>
public static class PausedEdits
{
    /// <summary>
    /// Runs <paramref name="first"/>, then a second later <paramref name="last"/>, while the devbox is paused; returns a
    /// clock started when it was resumed and how long it took to connect again.
    /// </summary>
    public static async Task<(Stopwatch SinceResumed, TimeSpan Connected)> EditApartAsync(SyncthingRestClient rest, string deviceId, Func<Task> first, Func<Task> last)
    {
        await PauseAsync(rest, deviceId, paused: true);
        await Eventually.TrueAsync("the devbox to be disconnected", async () =>
            !(await rest.GetConnectionsAsync()).TryGetValue(deviceId, out var c) || !c.Connected, seconds: 30);
        await first();
        await Task.Delay(1100);
        await last();

        // Let the devbox index its edit before it reconnects (its agent's accelerator scans at once).
        await Task.Delay(2000);
        var clock = Stopwatch.StartNew();
        await PauseAsync(rest, deviceId, paused: false);
        await Eventually.TrueAsync("the devbox to be connected again", async () =>
            (await rest.GetConnectionsAsync()).TryGetValue(deviceId, out var c) && c.Connected, seconds: 120);
        return (clock, clock.Elapsed);
    }

    /// <summary>Waits until the laptop's SyncThing has indexed <paramref name="relative"/> of <paramref name="folderId"/> at <paramref name="size"/> bytes.</summary>
    public static Task IndexedAsync(SyncthingRestClient rest, string folderId, string relative, int size) =>
        Eventually.TrueAsync($"the laptop's edit of {folderId}/{relative} indexed", async () => (await rest.GetFileAsync(folderId, relative))?.Local?.Size == size, seconds: 30);

    private static async Task PauseAsync(SyncthingRestClient rest, string deviceId, bool paused)
    {
        var device = (await rest.GetDeviceAsync(deviceId))!;
        device.Paused = paused;
        await rest.PutDeviceAsync(device);
    }
}
