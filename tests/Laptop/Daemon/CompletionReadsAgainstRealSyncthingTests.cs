using System.Diagnostics;
using System.Security.Cryptography;
using Thopter.Laptop.Daemon.Host;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness.Laptop;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// Issue 18 item 4: a refresh of the daemon's follower reads /rest/db/completion per (folder, devbox). Against a real
/// laptop SyncThing with 20 devices (never connected: loopback addresses nobody listens on) and 3 folders shared with
/// all of them, every one of the 60 completions is read, one at a time (as before) and with the follower's bound.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CompletionReadsAgainstRealSyncthingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LaptopSyncthing laptop = null!;

    public async Task InitializeAsync() => laptop = await LaptopSyncthing.StartAsync();

    public async Task DisposeAsync() => await laptop.DisposeAsync();

    [Fact]
    public async Task Twenty_devboxes_times_three_folders_are_all_read_and_concurrent_reads_are_measured_against_serial_ones()
    {
        using var client = new SyncthingRestClient(laptop.RestAddress, new SyncthingApiKey(laptop.ApiKey));
        var devices = Enumerable.Range(1, 20).Select(_ => DeviceId.FromBytes(RandomNumberGenerator.GetBytes(32)).ToString()).ToList();
        foreach (var (device, i) in devices.Select((d, i) => (d, i)))
        {
            await client.PutDeviceAsync(new RestDevice { DeviceId = device, Name = $"box{i}", Addresses = ["tcp://127.0.0.1:1"] });
        }

        foreach (var folder in new[] { "code", "notes", "work" })
        {
            var path = Directory.CreateDirectory(Path.Combine(laptop.FoldersDir, folder)).FullName;
            await client.PutFolderAsync(new RestFolder { Id = folder, Path = path, RescanIntervalS = 3600, Devices = [.. devices.Select(d => new RestFolderDevice { DeviceId = d })] });
        }

        var pairs = (await client.GetFoldersAsync()).SelectMany(f => devices.Select(d => (f.Id, d))).ToList();
        Assert.Equal(60, pairs.Count);
        var serial = new List<double>();
        var concurrent = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            serial.Add(await TimeAsync(client, pairs, 1));
            concurrent.Add(await TimeAsync(client, pairs, SyncthingFollower.ConcurrentReads));
        }

        output.WriteLine($"MEASURE follower refresh, 60 completions (20 devices x 3 folders), median of 5: one at a time {Median(serial):0} ms, {SyncthingFollower.ConcurrentReads} in flight {Median(concurrent):0} ms");
    }

    private static async Task<double> TimeAsync(SyncthingRestClient client, IReadOnlyList<(string, string)> pairs, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        var read = await SyncthingFollower.ReadCompletionsAsync(client, pairs, concurrency, CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.Equal(pairs.Count, read.Count);
        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
