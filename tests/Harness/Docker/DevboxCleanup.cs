namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// The run's safety net: when the test process exits, every container and image labelled with
/// this run is removed, whatever the tests forgot or failed to dispose. Earlier crashed runs are
/// swept by <see cref="LeftoverSweeper"/> when the first devbox fixture starts.
/// </summary>
internal static class DevboxCleanup
{
    private static int registered;

    public static void EnsureRegistered(DockerCli docker)
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveRunAsync(docker, TestRunLabels.Current.RunId).GetAwaiter().GetResult();
    }

    /// <summary>Removes a run's containers, then its images.</summary>
    public static async Task RemoveRunAsync(DockerCli docker, string runId)
    {
        var sweeper = new LeftoverSweeper(docker);
        var containers = await sweeper.ContainersOfRunAsync(runId);
        if (containers.Count > 0)
        {
            await docker.TryRunAsync(["rm", "-f", "-v", .. containers]);
        }

        foreach (var image in await sweeper.ImagesOfRunAsync(runId))
        {
            await docker.TryRunAsync(["rmi", "-f", image]);
        }
    }
}
