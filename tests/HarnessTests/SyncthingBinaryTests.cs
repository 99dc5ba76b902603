using Thopter.Shared.Processes;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.HarnessTests;

/// <summary>The version matrix's binaries are where the harness looks, and each is the release it claims to be.</summary>
public sealed class SyncthingBinaryTests
{
    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task Each_release_of_the_matrix_is_installed_and_reports_its_version(string version)
    {
        var syncthing = SyncthingBinary.Of(version);

        var result = await new ProcessRunner().RunAsync(new ProcessSpec(syncthing.EnsureInstalled(), ["--version"]) { Timeout = TimeSpan.FromSeconds(30) });

        Assert.StartsWith($"syncthing {version}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_releases_and_missing_binaries_are_refused_with_the_fix()
    {
        Assert.Throws<ArgumentException>(() => SyncthingBinary.Of("v9.9.9"));
        var missing = new SyncthingBinary(SyncthingBinary.V1_29, "/nonexistent/syncthing");

        var error = Assert.Throws<FileNotFoundException>(() => missing.EnsureInstalled());

        Assert.Contains("scripts/bootstrap.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains("THOPTER_SYNCTHING_1_29", error.Message, StringComparison.Ordinal);
    }
}
