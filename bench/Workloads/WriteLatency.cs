using System.Diagnostics;
using Thopter.Bench.Rig;

namespace Thopter.Bench.Workloads;

/// <summary>
/// P1: a 1 KB file written on one side, until it is visible on the other. Devbox -> laptop: the write is stamped
/// inside the container ($EPOCHREALTIME just before it) and the host spins on stat() of the laptop's copy.
/// Laptop -> devbox: a bash loop inside the container, started (and confirmed running) before the write, spins on
/// `[ -e f ]` with `sleep 0.001` and stamps the arrival; the host stamps its write. Both clocks are the one kernel's.
/// </summary>
public sealed class WriteLatency(LaptopNode laptop, DevboxNode devbox)
{
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(300);

    public async Task<(List<double> ToLaptop, List<double> ToDevbox)> RunAsync(string label, int trials, Action<string> progress, CancellationToken ct)
    {
        var toLaptop = new List<double>();
        var toDevbox = new List<double>();
        for (var trial = 0; trial < trials; trial++)
        {
            toLaptop.Add(await DevboxToLaptopAsync($"p1-{label}-d2l-{trial}.bin", ct));
            await Task.Delay(Gap, ct);
            toDevbox.Add(await LaptopToDevboxAsync($"p1-{label}-l2d-{trial}.bin", ct));
            await Task.Delay(Gap, ct);
            if ((trial + 1) % 10 == 0 || trial + 1 == trials)
            {
                progress($"{trial + 1}/{trials} trials: last devbox->laptop {toLaptop[^1]:0} ms, laptop->devbox {toDevbox[^1]:0} ms");
            }
        }

        return (toLaptop, toDevbox);
    }

    public async Task<double> DevboxToLaptopAsync(string name, CancellationToken ct)
    {
        var target = Path.Combine(laptop.FolderPath, name);
        var seen = RealTime.WhenAsync(() => File.Exists(target), TrialTimeout, $"{name} on the laptop");
        var write = await devbox.Devbox.ExecAsync(
            "dev", ["bash", "-c", "echo $EPOCHREALTIME; head -c 1024 /dev/urandom > \"$1\"", "bash", $"{DevboxNode.FolderPath}/{name}"], null, ct);
        var writtenAt = RealTime.ParseEpochRealtime(write.EnsureSuccess().StandardOutput);
        return await seen - writtenAt;
    }

    public async Task<double> LaptopToDevboxAsync(string name, CancellationToken ct)
    {
        const string Loop = "f=$1; end=$((SECONDS + $2)); echo ready; "
            + "while [ ! -e \"$f\" ]; do [ $SECONDS -ge $end ] && exit 3; sleep 0.001; done; echo $EPOCHREALTIME";
        using var waiter = Process.Start(new ProcessStartInfo("docker")
        {
            ArgumentList = { "exec", "-u", "dev", devbox.Devbox.ContainerId, "bash", "-c", Loop, "bash", $"{DevboxNode.FolderPath}/{name}", ((int)TrialTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TrialTimeout + TimeSpan.FromSeconds(10));
            var ready = await waiter.StandardOutput.ReadLineAsync(timeout.Token);
            if (ready != "ready")
            {
                throw new InvalidOperationException($"the in-devbox poll loop did not start: {await waiter.StandardError.ReadToEndAsync(ct)}");
            }

            var writtenAt = RealTime.NowMs();
            await File.WriteAllBytesAsync(Path.Combine(laptop.FolderPath, name), System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024), ct);
            var arrived = await waiter.StandardOutput.ReadLineAsync(timeout.Token);
            await waiter.WaitForExitAsync(timeout.Token);
            return arrived is { Length: > 0 } && waiter.ExitCode == 0
                ? RealTime.ParseEpochRealtime(arrived) - writtenAt
                : throw new TimeoutException($"{name} did not reach {devbox.Name} within {TrialTimeout.TotalSeconds:0} s");
        }
        finally
        {
            if (!waiter.HasExited)
            {
                waiter.Kill();
            }
        }
    }
}
