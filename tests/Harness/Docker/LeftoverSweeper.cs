namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// Removes containers and images left by earlier test runs that crashed before cleaning up.
/// Only runs whose owning process is gone are touched: other test runs may share this engine.
/// </summary>
public sealed class LeftoverSweeper(DockerCli docker)
{
    /// <summary>Removes dead runs' containers, then their images. Returns how many of each it removed.</summary>
    public async Task<(int Containers, int Images)> SweepDeadRunsAsync(CancellationToken cancellationToken = default)
    {
        var containers = await DeadContainersAsync(cancellationToken);
        if (containers.Count > 0)
        {
            await docker.TryRunAsync(["rm", "-f", "-v", .. containers], cancellationToken: cancellationToken);
        }

        var images = await DeadImagesAsync(cancellationToken);
        foreach (var image in images)
        {
            // An image still used by a live run's container stays; rmi refuses and that is fine.
            await docker.TryRunAsync(["rmi", "-f", image], cancellationToken: cancellationToken);
        }

        return (containers.Count, images.Count);
    }

    /// <summary>Ids of a run's containers (every state), for cleanup checks.</summary>
    public async Task<IReadOnlyList<string>> ContainersOfRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var output = await docker.RunAsync(["ps", "-a", "-q", "--filter", $"label={TestRunLabels.Run}={runId}"], cancellationToken: cancellationToken);
        return Lines(output);
    }

    /// <summary>Ids of a run's images, for cleanup checks.</summary>
    public async Task<IReadOnlyList<string>> ImagesOfRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var output = await docker.RunAsync(["images", "-q", "--filter", $"label={TestRunLabels.Run}={runId}"], cancellationToken: cancellationToken);
        return Lines(output).Distinct().ToList();
    }

    private async Task<List<string>> DeadContainersAsync(CancellationToken cancellationToken)
    {
        var format = $"{{{{.ID}}}}\t{{{{.Label \"{TestRunLabels.Pid}\"}}}}\t{{{{.Label \"{TestRunLabels.PidStart}\"}}}}";
        return Dead(await docker.RunAsync(["ps", "-a", "--filter", $"label={TestRunLabels.Pid}", "--format", format], cancellationToken: cancellationToken));
    }

    // `docker images --format` cannot read labels; inspect the labelled images instead.
    private async Task<List<string>> DeadImagesAsync(CancellationToken cancellationToken)
    {
        var ids = Lines(await docker.RunAsync(["images", "-q", "--filter", $"label={TestRunLabels.Pid}"], cancellationToken: cancellationToken)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var format = $"{{{{.Id}}}}\t{{{{index .Config.Labels \"{TestRunLabels.Pid}\"}}}}\t{{{{index .Config.Labels \"{TestRunLabels.PidStart}\"}}}}";
        return Dead((await docker.TryRunAsync(["image", "inspect", "--format", format, .. ids], cancellationToken: cancellationToken)).StandardOutput);
    }

    private static List<string> Dead(string table) =>
        Lines(table)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 3 && !TestRunLabels.IsOwnerAlive(fields[1], fields[2]))
            .Select(fields => fields[0])
            .ToList();

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
