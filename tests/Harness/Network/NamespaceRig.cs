using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Thopter.Tests.Harness.Network;

/// <summary>
/// Two network namespaces of this run joined by a veth pair: "wan" (10.77.0.1, where stand-ins for public servers run
/// and from where the harness's proxies dial) and "devbox" (10.77.0.2: new, or a container's namespace attached by its
/// PID). The host's own namespace gets no interface and no address: the laptop side reaches them only through
/// <see cref="NamespaceSockets"/>. Names start with <see cref="Prefix"/> + this process's PID, so a rig left by a
/// killed run is recognised and removed by the next (<see cref="SweepLeftovers"/>); disposing removes everything.
/// </summary>
public sealed partial class NamespaceRig : IAsyncDisposable
{
    public const string Prefix = "thw";
    public static readonly IPAddress WanAddress = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress DevboxAddress = IPAddress.Parse("10.77.0.2");
    private static int sequence;

    private readonly List<Process> processes = [];
    private readonly List<string> ownedNamespaces = [];
    private bool disposed;

    private NamespaceRig(string stem)
    {
        Stem = stem;
        Wan = stem + "-wan";
        Devbox = stem + "-devbox";
    }

    /// <summary>This rig's prefix (also of its veth ends, "STEMw" and "STEMd": at most 15 characters).</summary>
    public string Stem { get; }

    public string Wan { get; }

    public string Devbox { get; }

    /// <summary>Creates the rig; <paramref name="devboxPid"/> set: the devbox namespace is that process's (a container's) own.</summary>
    public static async Task<NamespaceRig> CreateAsync(int? devboxPid = null, CancellationToken ct = default)
    {
        await SweepLeftovers(ct);
        var rig = new NamespaceRig($"{Prefix}{Environment.ProcessId}x{Interlocked.Increment(ref sequence) % 100}");
        try
        {
            await Ip(ct, "netns", "add", rig.Wan);
            rig.ownedNamespaces.Add(rig.Wan);
            await (devboxPid is { } pid
                ? Ip(ct, "netns", "attach", rig.Devbox, pid.ToString(CultureInfo.InvariantCulture))
                : Ip(ct, "netns", "add", rig.Devbox));
            rig.ownedNamespaces.Add(rig.Devbox);
            await Ip(ct, "link", "add", rig.Stem + "w", "netns", rig.Wan, "type", "veth", "peer", "name", rig.Stem + "d", "netns", rig.Devbox);
            foreach (var (ns, end, address) in new[] { (rig.Wan, "w", WanAddress), (rig.Devbox, "d", DevboxAddress) })
            {
                await Ip(ct, "-n", ns, "addr", "add", $"{address}/24", "dev", rig.Stem + end);
                await Ip(ct, "-n", ns, "link", "set", rig.Stem + end, "up");
                await Ip(ct, "-n", ns, "link", "set", "lo", "up");
            }

            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="command"/> inside namespace <paramref name="netns"/> (killed when the rig is disposed);
    /// <paramref name="output"/> gets each line it prints on stdout or stderr.
    /// </summary>
    public Process Start(string netns, IReadOnlyList<string> command, Action<string>? output = null)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", netns }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => output?.Invoke(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => output?.Invoke(line.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (processes)
        {
            processes.Add(process);
        }

        return process;
    }

    /// <summary>Runs `ip ARGS...` and fails with its error output on a non-zero exit.</summary>
    public static Task<string> Ip(CancellationToken ct, params string[] arguments) =>
        HostCommand.RunAsync("ip", arguments, ct, "needs root and iproute2");

    /// <summary>The network namespaces that exist now (`ip netns list`, names only).</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) =>
        (await Ip(ct, "netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]).ToList();

    /// <summary>Removes every rig namespace whose creating process is gone (a run killed before it could clean up), and what runs in it.</summary>
    public static async Task SweepLeftovers(CancellationToken ct = default)
    {
        foreach (var name in await ListAsync(ct))
        {
            var match = OwnName().Match(name);
            if (match.Success && !Alive(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)))
            {
                await RemoveAsync(name);
            }
        }
    }

    private static bool Alive(int pid) => Directory.Exists($"/proc/{pid}");

    private static async Task RemoveAsync(string netns)
    {
        // Only the rig's own "wan" namespace runs processes of ours; an attached devbox namespace is the container's,
        // and removing its name leaves the container alone.
        if (netns.EndsWith("-wan", StringComparison.Ordinal))
        {
            foreach (var pid in (await Ip(CancellationToken.None, "netns", "pids", netns)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    using var process = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        await Ip(CancellationToken.None, "netns", "delete", netns);
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        lock (processes)
        {
            foreach (var process in processes.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        foreach (var process in processes)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }

        var errors = new List<Exception>();
        foreach (var netns in Enumerable.Reverse(ownedNamespaces))
        {
            try
            {
                await RemoveAsync(netns);
            }
            catch (InvalidOperationException error)
            {
                errors.Add(error);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException($"network namespace rig {Stem} not fully removed (`ip netns list | grep {Stem}`)", errors);
        }
    }

    [GeneratedRegex($"^{Prefix}([0-9]+)x[0-9]+-(wan|devbox)$")]
    private static partial Regex OwnName();
}
