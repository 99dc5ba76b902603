namespace Thopter.Tests.Harness.Docker;

/// <summary>A committed devbox image: start clones of it, each with its own hostname. Disposing removes the image (dispose clones first).</summary>
public sealed class DevboxSnapshot(DockerCli docker, string imageId, string tag, DevboxOptions cloneOptions, TimeSpan commitTime) : IAsyncDisposable
{
    public string ImageId { get; } = imageId;

    public string Tag { get; } = tag;

    /// <summary>How long `docker commit` took.</summary>
    public TimeSpan CommitTime { get; } = commitTime;

    /// <summary>Starts a clone of the snapshot and waits until it is ready.</summary>
    public Task<Devbox> StartCloneAsync(string? hostname = null, CancellationToken cancellationToken = default) =>
        Devbox.StartAsync(hostname is null ? cloneOptions : cloneOptions.WithHostname(hostname), docker, cancellationToken);

    public async ValueTask DisposeAsync() => await docker.TryRunAsync(["rmi", "-f", Tag]);
}
