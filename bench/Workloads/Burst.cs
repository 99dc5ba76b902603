using System.Diagnostics;
using System.Net.Sockets;
using Thopter.Bench.Rig;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness;

namespace Thopter.Bench.Workloads;

/// <summary>
/// P6: 1,000 files of 10 KB prepared in the devbox's /tmp, then copied into the synced folder in one `cp -r`
/// (stamped inside the container), until all of them are on the laptop (host counts the finished files; SyncThing
/// writes each as a temp file and renames it, so a listed name is a complete file). The floor is rsync of the same
/// directory from the devbox to an rsync daemon on 127.0.0.1, timed inside the container.
/// </summary>
public sealed class Burst(LaptopNode laptop, DevboxNode devbox)
{
    public const int Files = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // Each look lists the whole directory; looking every 1 ms took enough CPU from the two SyncThings on this 2-core
    // machine to add ~70-120 ms to the median (A/B, 6 runs each). 10 ms costs at most 10 ms of resolution.
    private const int PollMs = 10;

    public async Task PrepareAsync(CancellationToken ct) =>
        (await devbox.Devbox.ExecAsync(
            "dev",
            ["bash", "-c", $"rm -rf /tmp/burst && mkdir /tmp/burst && head -c {Files * 10240} /dev/urandom | split -b 10240 -a 4 -d - /tmp/burst/f && ls /tmp/burst | wc -l"],
            null,
            ct)).EnsureSuccess();

    /// <summary>
    /// Milliseconds from the start of the copy until the devbox's SyncThing has all files in its index (its scan is
    /// done: the rest is transfer and the laptop's writes) and until the laptop has all of them.
    /// </summary>
    public async Task<(double Indexed, double Complete)> SyncAsync(string label, CancellationToken ct)
    {
        var name = $"burst-{label}";
        var target = Path.Combine(laptop.FolderPath, name);
        var before = (await devbox.Rest.GetFolderStatusAsync(DevboxNode.Folder, ct)).LocalFiles;
        var seen = RealTime.WhenAsync(() => Directory.Exists(target) && Directory.EnumerateFiles(target, "f*").Count() >= Files, Timeout, $"{Files} files of {name} on the laptop", PollMs);
        var indexed = IndexedAsync(before + Files, ct);
        var copy = await devbox.Devbox.ExecAsync("dev", ["bash", "-c", "echo $EPOCHREALTIME; cp -r /tmp/burst \"$1\"", "bash", $"{DevboxNode.FolderPath}/{name}"], null, ct);
        var startedAt = RealTime.ParseEpochRealtime(copy.EnsureSuccess().StandardOutput);
        return (await indexed - startedAt, await seen - startedAt);
    }

    /// <summary>Deletes one burst's directory on the devbox (SyncThing then deletes it on the laptop), so trials start alike.</summary>
    public async Task RemoveAsync(string label, CancellationToken ct) =>
        (await devbox.Devbox.ExecAsync("dev", ["rm", "-rf", $"{DevboxNode.FolderPath}/burst-{label}"], null, ct)).EnsureSuccess();

    private async Task<double> IndexedAsync(long files, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while ((await devbox.Rest.GetFolderStatusAsync(DevboxNode.Folder, ct)).LocalFiles < files)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the devbox did not index {Files} new files within {Timeout.TotalMinutes:0} min");
            }

            await Task.Delay(10, ct);
        }

        return RealTime.NowMs();
    }

    /// <summary>Milliseconds rsync takes to send the same 1,000 files over loopback TCP to a daemon on the host.</summary>
    public async Task<double> RsyncFloorAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("thopter-bench-rsync-").FullName;
        var port = FreePort.Next();
        var conf = Path.Combine(root, "rsyncd.conf");
        Directory.CreateDirectory(Path.Combine(root, "data"));
        await File.WriteAllTextAsync(conf, $"pid file = {root}/rsyncd.pid\n[bench]\npath = {root}/data\nread only = false\nuse chroot = false\nuid = root\ngid = root\n", ct);
        using var daemon = Process.Start(new ProcessStartInfo("rsync")
        {
            ArgumentList = { "--daemon", "--no-detach", "--address=127.0.0.1", $"--port={port}", $"--config={conf}" },
            RedirectStandardError = true,
        })!;
        try
        {
            await Wait.UntilAsync("the rsync daemon listening", async c => await Listening(port, c), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), cancellationToken: ct);
            const string Script = "a=$EPOCHREALTIME; rsync -a /tmp/burst/ \"$1\" || exit $?; b=$EPOCHREALTIME; echo $a $b";
            var run = (await devbox.Devbox.ExecAsync("dev", ["bash", "-c", Script, "bash", $"rsync://127.0.0.1:{port}/bench/burst/"], null, ct)).EnsureSuccess();
            var stamps = run.StandardOutput.Trim().Split(' ').Select(RealTime.ParseEpochRealtime).ToArray();
            var copied = Directory.EnumerateFiles(Path.Combine(root, "data", "burst")).Count();
            return copied == Files ? stamps[1] - stamps[0] : throw new InvalidOperationException($"rsync copied {copied} of {Files} files");
        }
        finally
        {
            daemon.Kill();
            await daemon.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<bool> Listening(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
