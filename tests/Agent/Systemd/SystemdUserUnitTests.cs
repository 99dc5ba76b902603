using Xunit;
using System.Runtime.CompilerServices;
using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Systemd;

public sealed class SystemdUserUnitTests
{
    [Fact]
    public void Render_matches_the_golden_unit()
    {
        var spec = new SyncthingServiceSpec("/usr/local/bin/syncthing", "/home/dev/.local/state/thopter/syncthing");

        var text = SystemdUserUnit.Render(spec);

        Assert.Equal(File.ReadAllText(GoldenPath("thopter-syncthing.service")), text);
    }

    /// <summary>2.x ignores --logflags; its own flag drops the timestamp (cmd/syncthing serveCmd at v2.1.3).</summary>
    [Fact]
    public void A_2x_binary_runs_with_its_own_log_flag()
    {
        var spec = new SyncthingServiceSpec("/usr/local/bin/syncthing", "/home/dev/st") { SyncthingVersion = "v2.1.3" };

        Assert.Contains("ExecStart=/usr/local/bin/syncthing serve --no-browser --no-restart --log-format-timestamp= --home=/home/dev/st\n", SystemdUserUnit.Render(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void The_identity_guard_runs_before_syncthing_starts()
    {
        var spec = new SyncthingServiceSpec("/usr/local/bin/syncthing", "/home/dev/my state/syncthing") { IdentityGuard = "/usr/local/bin/thopter-agent" };

        var lines = SystemdUserUnit.Render(spec).Split('\n');

        var guard = Array.FindIndex(lines, line => line.StartsWith("ExecStartPre=", StringComparison.Ordinal));
        Assert.Equal("ExecStartPre=/usr/local/bin/thopter-agent guard-identity \"--home=/home/dev/my state/syncthing\"", lines[guard]);
        Assert.True(guard < Array.FindIndex(lines, line => line.StartsWith("ExecStart=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Accelerator_unit_matches_the_golden_unit()
    {
        var spec = new SyncthingServiceSpec("/usr/local/bin/syncthing", "/home/dev/.local/state/syncthing") { AgentBinary = "/usr/local/bin/thopter-agent" };

        var text = AcceleratorUserUnit.Render(spec);

        Assert.Equal(File.ReadAllText(GoldenPath("thopter-accelerator.service")), text);
    }

    [Fact]
    public void Accelerator_unit_needs_an_agent_binary() =>
        Assert.Throws<ArgumentException>(() => AcceleratorUserUnit.Render(new SyncthingServiceSpec("/usr/bin/syncthing", "/home/dev/st")));

    [Fact]
    public void Render_quotes_paths_with_blanks_and_escapes_specifiers()
    {
        var spec = new SyncthingServiceSpec("/opt/sync thing/syncthing", "/home/dev/100%/$HOME");

        var execStart = SystemdUserUnit.Render(spec).Split('\n').Single(line => line.StartsWith("ExecStart=", StringComparison.Ordinal));

        Assert.Equal(
            "ExecStart=\"/opt/sync thing/syncthing\" serve --no-browser --no-restart --logflags=0 --home=/home/dev/100%%/$$HOME",
            execStart);
    }

    [Theory]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    public void QuoteArgument_escapes_for_systemd(string word, string expected) =>
        Assert.Equal(expected, SystemdUserUnit.QuoteArgument(word));

    [Fact]
    public void QuoteArgument_rejects_newlines_that_would_inject_unit_lines() =>
        Assert.Throws<ArgumentException>(() => SystemdUserUnit.QuoteArgument("x\nExecStartPre=/bin/evil"));

    [Theory]
    [InlineData("syncthing", "/home/dev/st")]
    [InlineData("/usr/bin/syncthing", "relative/home")]
    [InlineData("/usr/bin/syncthing", "/home/dev/a\nb")]
    public void Spec_rejects_relative_or_control_character_paths(string binary, string home) =>
        Assert.Throws<ArgumentException>(() => new SyncthingServiceSpec(binary, home));

    [Theory]
    [InlineData("syncthing")]
    [InlineData(".service")]
    [InlineData("a b.service")]
    [InlineData("../x.service")]
    public void Spec_rejects_bad_unit_names(string unitName) =>
        Assert.Throws<ArgumentException>(() => new SyncthingServiceSpec("/usr/bin/syncthing", "/home/dev/st", unitName));

    [Fact]
    public void Unit_path_is_in_the_users_config_dir() =>
        Assert.Equal("/home/dev/.config/systemd/user/thopter-syncthing.service", SystemdUserUnit.UnitPath("/home/dev", "thopter-syncthing.service"));

    private static string GoldenPath(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);
}
