using Thopter.Laptop.Transport;
using Xunit;

namespace Thopter.Tests.Laptop.Transport;

/// <summary>The daemon's ssh connection sharing decided from <c>ssh -G</c> output (lines as OpenSSH 9.2 prints them): the user's own sharing wins.</summary>
public sealed class SshSharingTests
{
    private const string Unset = "host box\nuser dev\nport 22\nbatchmode no\ncontrolmaster false\nforwardx11 no\ncontrolpersist no\n";

    [Fact]
    public void Without_sharing_in_the_users_config_the_daemon_adds_a_master_in_its_directory()
    {
        var decision = SshSharing.Decide(["ssh", "box"], Unset, "/run/user/1000/thopter/ssh");

        Assert.Equal(6, decision.Options.Count);
        Assert.Equal(["-o", "ControlMaster=auto", "-o"], decision.Options.Take(3));
        Assert.Matches("^ControlPath=/run/user/1000/thopter/ssh/[0-9a-f]{16}$", decision.Options[3]);
        Assert.Equal(["-o", "ControlPersist=300"], decision.Options.Skip(4));
    }

    [Fact]
    public void Each_prefix_gets_its_own_stable_control_socket()
    {
        var first = SshSharing.Decide(["ssh", "box"], Unset, "/s").Options[3];

        Assert.Equal(first, SshSharing.Decide(["ssh", "box"], Unset, "/s").Options[3]);
        Assert.NotEqual(first, SshSharing.Decide(["ssh", "-p", "2222", "box"], Unset, "/s").Options[3]);
    }

    [Theory]
    [InlineData("controlmaster auto\ncontrolpath /root/.ssh/cm-753a402d6e1222f9e166ff6663c842a3cdfb37e8\ncontrolpersist 60\n", "ControlMaster auto")]
    [InlineData("controlmaster autoask\ncontrolpersist no\n", "ControlMaster autoask")]
    [InlineData("controlmaster yes\n", "ControlMaster yes")]
    [InlineData("controlmaster false\ncontrolpath /tmp/x-b\ncontrolpersist no\n", "ControlPath /tmp/x-b")]
    public void The_users_own_sharing_wins(string effective, string reason)
    {
        var decision = SshSharing.Decide(["ssh", "box"], "host box\nuser dev\n" + effective, "/s");

        Assert.Empty(decision.Options);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-o ControlMaster=no", "-o ControlMaster=no")]
    [InlineData("-ocontrolpath=none", "-o controlpath=none")]
    [InlineData("-S /tmp/mux", "-S")]
    [InlineData("-vM", "-vM")]
    public void Sharing_options_in_the_transports_own_words_win(string words, string reason)
    {
        var decision = SshSharing.Decide(["ssh", .. words.Split(' '), "box"], Unset, "/s");

        Assert.Empty(decision.Options);
        Assert.Equal($"the transport sets {reason}", decision.Reason);
    }

    [Theory]
    [InlineData("/tmp/thopter-test-abcdef/.local/state/thopter/run/and/a/much/longer/directory/ssh")]
    [InlineData("/home/my user/.local/state/thopter/run/ssh")]
    [InlineData("/home/100%/ssh")]
    public void A_control_path_that_cannot_be_a_socket_address_means_no_sharing(string directory)
    {
        var decision = SshSharing.Decide(["ssh", "box"], Unset, directory);

        Assert.Empty(decision.Options);
        Assert.Contains("does not fit a unix socket address", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sharing_options_come_after_the_hardening_and_before_the_users_words()
    {
        var transport = new DevboxTransport("box1", ["ssh", "-p", "2222", "box1"], new FakeProcessRunner()).WithSshOptions(["-o", "ControlMaster=auto"]);

        var spec = transport.SpecFor(["thopter-agent", "tunnel"], TimeSpan.FromSeconds(5));

        Assert.Equal([.. SshHardening.Options, "-o", "ControlMaster=auto", "-p", "2222", "box1", "thopter-agent tunnel"], spec.Arguments);
    }
}
