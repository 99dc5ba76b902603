using Thopter.Laptop.Agent;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Seed;

namespace Thopter.Laptop.Seed;

/// <summary>
/// Runs <c>thopter-agent pack --folder NAME</c> on the devbox through its transport and unpacks the stream it writes into
/// the laptop's folder as it arrives (<see cref="SeedUnpacker"/>, with the laptop's own .stignore). The child is started
/// like a tunnel (raw stdout, argv only); its stdin is closed at once.
/// </summary>
public sealed class SeedTransfer(ITunnelProcesses processes)
{
    public async Task<SeedOutcome> RunAsync(AgentClient agent, string folderName, string folderPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var spec = agent.Transport.SpecFor([agent.Path, "pack", "--folder", folderName], timeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var process = processes.Start(spec);
        process.Input.Dispose();
        try
        {
            var reader = await SeedReader.StartAsync(process.Output, deadline.Token).ConfigureAwait(false);
            var outcome = await new SeedUnpacker(folderPath, IgnoreMatcher.Load(folderPath)).UnpackAsync(reader, deadline.Token).ConfigureAwait(false);
            var exit = await process.Exited.WaitAsync(deadline.Token).ConfigureAwait(false);
            return exit == 0 ? outcome : throw new SeedFailedException(Failure(process, exit));
        }
        catch (SeedFormatException error)
        {
            // A stream cut short is the agent's failure when it exited non-zero: its stderr line says why.
            process.Kill();
            var exit = await process.Exited.ConfigureAwait(false);
            throw new SeedFailedException(exit is 0 or 137 or 143 ? error.Message : Failure(process, exit), error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            throw new SeedFailedException($"it took longer than {timeout.TotalSeconds:0} s", error);
        }
        finally
        {
            process.Kill();
        }
    }

    private static string Failure(ITunnelProcess process, int exit) =>
        $"`thopter-agent pack` exited {exit}: {(process.LastErrorLine.Length > 0 ? process.LastErrorLine : "no message")}";
}
