using Thopter.Agent.Systemd;
using Xunit;

namespace Thopter.Tests.Agent.Systemd;

public sealed class LogindTests : IClassFixture<PrivateBus>, IDisposable
{
    private readonly PrivateBus bus;
    private readonly string lingerDir = Directory.CreateTempSubdirectory("thopter-linger-").FullName;

    public LogindTests(PrivateBus bus) => this.bus = bus;

    [Fact]
    public async Task A_lingering_user_is_left_alone_without_touching_the_bus()
    {
        File.WriteAllText(Path.Combine(lingerDir, "dev"), string.Empty);

        var result = await new Logind(lingerDir).EnsureLingeringAsync("dev", 1000, _ => throw new InvalidOperationException("no bus call expected"));

        Assert.Equal(new LingerResult("dev", Lingering: true, Changed: false, Problem: null), result);
    }

    [Fact]
    public async Task A_refused_or_failed_call_is_reported_with_the_root_fix_not_thrown()
    {
        // A real bus without logind on it: the call fails with ServiceUnknown, which must come back as a problem.
        var result = await new Logind(lingerDir).EnsureLingeringAsync("dev", 1000, ct => BusConnection.OpenFirstAsync([bus.Address], cancellationToken: ct));

        Assert.False(result.Lingering);
        Assert.False(result.Changed);
        Assert.Contains("org.freedesktop.DBus.Error.ServiceUnknown", result.Problem, StringComparison.Ordinal);
        Assert.Contains("loginctl enable-linger dev", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_system_bus_at_all_is_reported_with_the_root_fix_not_thrown()
    {
        var missing = Path.Combine(lingerDir, "no-such-bus");

        var result = await new Logind(lingerDir).EnsureLingeringAsync("dev", 1000, ct => BusConnection.OpenFirstAsync([$"unix:path={missing}"], cancellationToken: ct));

        Assert.False(result.Lingering);
        Assert.Contains(missing, result.Problem, StringComparison.Ordinal);
        Assert.Contains("loginctl enable-linger dev", result.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(lingerDir, recursive: true);
}
