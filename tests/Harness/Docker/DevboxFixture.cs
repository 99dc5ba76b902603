using Thopter.Shared.Processes;
using Xunit;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// A devbox shared by the tests of one class (IClassFixture). Share it only when the tests leave
/// the devbox as they found it; tests that change system state start their own with <see cref="Devbox.StartAsync"/>.
/// </summary>
public class DevboxFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim SweepOnce = new(1, 1);
    private static bool swept;
    private Devbox? devbox;

    public DockerCli Docker { get; } = new(new ProcessRunner());

    public Devbox Devbox => devbox ?? throw new InvalidOperationException("the devbox fixture has not started");

    protected virtual DevboxOptions Options => new();

    public async Task InitializeAsync()
    {
        await SweepDeadRunsOnceAsync(Docker);
        devbox = await Devbox.StartAsync(Options);
    }

    public async Task DisposeAsync()
    {
        if (devbox is not null)
        {
            await devbox.DisposeAsync();
        }
    }

    /// <summary>Removes what crashed earlier runs left behind, once per test process.</summary>
    public static async Task SweepDeadRunsOnceAsync(DockerCli docker)
    {
        await SweepOnce.WaitAsync();
        try
        {
            if (!swept)
            {
                await new LeftoverSweeper(docker).SweepDeadRunsAsync();
                swept = true;
            }
        }
        finally
        {
            SweepOnce.Release();
        }
    }
}

/// <summary>A shared devbox whose PID 1 is not systemd (no system or user manager), for the fallback supervisor.</summary>
public sealed class PlainDevboxFixture : DevboxFixture
{
    protected override DevboxOptions Options => new DevboxOptions().WithoutSystemd();
}
