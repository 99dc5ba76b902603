using Docker.DotNet;
using Docker.DotNet.Models;

namespace Thopter.Tests.Harness.Docker;

/// <summary>A committed devbox image: start clones of it, each with its own hostname. Disposing removes the image (dispose clones first).</summary>
public sealed class DevboxSnapshot(string imageId, string tag, DevboxOptions cloneOptions, TimeSpan commitTime) : IAsyncDisposable
{
    /// <summary>The repository every snapshot image is committed to; the tag is unique to the snapshot.</summary>
    public const string Repository = "thopter-test-snapshot";

    public string ImageId { get; } = imageId;

    public string Tag { get; } = tag;

    /// <summary>How long `docker commit` took.</summary>
    public TimeSpan CommitTime { get; } = commitTime;

    /// <summary>Starts a clone of the snapshot and waits until it is ready.</summary>
    public Task<Devbox> StartCloneAsync(string? hostname = null, CancellationToken cancellationToken = default) =>
        Devbox.StartAsync(hostname is null ? cloneOptions : cloneOptions.WithHostname(hostname), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DockerEngine.Client.Images.DeleteImageAsync(Tag, new ImageDeleteParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerImageNotFoundException)
        {
            // Already gone: removing twice is fine.
        }
    }
}
