using Docker.DotNet;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// The one Docker Engine API client of the harness: Testcontainers' own endpoint configuration,
/// with the two settings this machine needs applied in the harness itself (so a test run that
/// does not go through scripts/test.sh works too).
/// </summary>
public static class DockerEngine
{
    /// <summary>Debian's engine (20.10) speaks API 1.41; without the pin Testcontainers reports only "Docker is either not running or misconfigured".</summary>
    public const string ApiVersion = "1.41";

    private static readonly Lazy<IDockerClient> LazyClient = new(() =>
    {
        Configure();
        return TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(ResourceReaper.DefaultSessionId).Build();
    });

    /// <summary>For what Testcontainers' container API lacks: exec as a user, commit, kill, logs, archives.</summary>
    public static IDockerClient Client => LazyClient.Value;

    /// <summary>
    /// Sets the environment Testcontainers reads before its first use (an explicit setting wins):
    /// the API version, and Ryuk off, because its image cannot be pulled offline. Crash cleanup is
    /// ours instead: the labels of <see cref="TestRunLabels"/>, <see cref="RunReaper"/> and <see cref="LeftoverSweeper"/>.
    /// </summary>
    public static void Configure()
    {
        SetDefault("DOCKER_API_VERSION", ApiVersion);
        SetDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
