using Thopter.Agent;
using Thopter.Shared.Identity;
using Xunit;

namespace Thopter.Tests.Agent.Commands;

public sealed class DeviceIdCommandTests : IDisposable
{
    private readonly AgentRun run = new();

    private string Home => Path.Combine(run.UserHome, "st-home");

    public void Dispose() => run.Dispose();

    [Theory]
    [InlineData("device-id")]
    [InlineData("--device-id")]
    public async Task Prints_the_bare_device_id_of_the_identity_in_home(string form)
    {
        var identity = SyncthingIdentity.Generate(Home);

        var outcome = await run.RunAsync(form, "--home", Home);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(identity.DeviceId + Environment.NewLine, outcome.Output);
        Assert.Equal(string.Empty, outcome.Error);
    }

    [Fact]
    public async Task Defaults_to_the_syncthing_home_under_the_user_home()
    {
        var identity = SyncthingIdentity.Generate(run.Dependencies.DefaultSyncthingHome);

        var outcome = await run.RunAsync("device-id");

        Assert.Equal(identity.DeviceId.ToString(), outcome.Output.Trim());
    }

    [Theory]
    [InlineData("device-id")]
    [InlineData("--device-id")]
    public async Task No_identity_is_a_one_line_reason_on_stderr_and_nothing_on_stdout(string form)
    {
        var outcome = await run.RunAsync(form, "--home", Home);

        Assert.Equal(ExitCodes.IdentityMissing.Value, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.Output);
        var line = Assert.Single(outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Home, line, StringComparison.Ordinal);
        Assert.Contains("identity-missing", line, StringComparison.Ordinal);
        Assert.Contains("fix:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_is_identity_invalid()
    {
        SyncthingIdentity.Generate(Home);
        var other = Path.Combine(run.UserHome, "other");
        SyncthingIdentity.Generate(other);
        File.Copy(Path.Combine(other, SyncthingIdentity.KeyFileName), Path.Combine(Home, SyncthingIdentity.KeyFileName), overwrite: true);

        var outcome = await run.RunAsync("device-id", "--home", Home);

        Assert.Equal(ExitCodes.IdentityInvalid.Value, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.Output);
        Assert.Contains("identity-invalid", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_with_device_id_stays_off_stdout()
    {
        var outcome = await run.RunAsync("--device-id", "--bogus");

        Assert.Equal(ExitCodes.Usage.Value, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.Output);
        Assert.Contains("--bogus", outcome.Error, StringComparison.Ordinal);
    }
}
