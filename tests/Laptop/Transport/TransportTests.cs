using Thopter.Laptop;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;
using Thopter.Laptop.ThopterConfig;
using Xunit;

namespace Thopter.Tests.Laptop.Transport;

public sealed class TransportTests
{
    [Theory]
    [InlineData("ssh box1", new[] { "ssh", "box1" })]
    [InlineData("  docker   exec -u dev c1 ", new[] { "docker", "exec", "-u", "dev", "c1" })]
    [InlineData("docker exec 'my box'", new[] { "docker", "exec", "my box" })]
    [InlineData("x \"a \\\"b\\\" $HOME\"", new[] { "x", "a \"b\" $HOME" })]
    [InlineData("x a\\ b 'it'\\''s'", new[] { "x", "a b", "it's" })]
    [InlineData("gcloud compute ssh box --zone=eu '--command'", new[] { "gcloud", "compute", "ssh", "box", "--zone=eu", "--command" })]
    [InlineData("x ''", new[] { "x", "" })]
    public void Prefixes_split_like_a_shell_without_expanding(string text, string[] expected) =>
        Assert.Equal(expected, CommandPrefix.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ssh 'box")]
    [InlineData("ssh \"box")]
    [InlineData("ssh box; rm -rf ~")]
    [InlineData("ssh box | tee")]
    [InlineData("ssh $(whoami)")]
    [InlineData("ssh box\\")]
    public void Malformed_or_shell_syntax_is_refused(string text) =>
        Assert.Throws<FormatException>(() => CommandPrefix.Parse(text));

    [Fact]
    public void A_bad_transport_option_is_bad_input_with_an_example()
    {
        var failure = Assert.Throws<ThopterException>(() => TransportResolver.ParseOption("ssh 'box"));
        Assert.Equal(ErrorKind.BadInput, failure.Kind);
        Assert.Contains("--transport \"ssh box1\"", failure.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_round_trips_through_parse()
    {
        string[] words = ["thopter-agent", "a b", "it's", "$HOME", "", "--x=1", "semi;colon"];
        Assert.Equal(words, CommandPrefix.Parse(CommandPrefix.Format(words)));
    }

    [Fact]
    public void Ssh_gets_no_agent_forwarding_batch_mode_and_a_quoted_remote_command()
    {
        var transport = new DevboxTransport("box1", ["ssh", "-p", "2222", "box1"], new FakeProcessRunner());

        var spec = transport.SpecFor(["thopter-agent", "setup", "--folder", "my code"], TimeSpan.FromSeconds(5));

        Assert.Equal("ssh", spec.FileName);
        Assert.Equal(
            ["-a", "-x", "-o", "ForwardAgent=no", "-o", "ForwardX11=no", "-o", "ForwardX11Trusted=no", "-o", "ClearAllForwardings=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-p", "2222", "box1", "thopter-agent setup --folder 'my code'"],
            spec.Arguments);
    }

    [Theory]
    [InlineData("ssh -A box1", "-A forwards your ssh agent")]
    [InlineData("ssh box1 -A", "-A forwards your ssh agent")]
    [InlineData("ssh -vA box1", "-A forwards your ssh agent")]
    [InlineData("ssh -p 22 -Aq box1", "-A forwards your ssh agent")]
    [InlineData("/usr/bin/ssh -X box1", "-X forwards your X11 display")]
    [InlineData("ssh -Y box1", "-Y forwards your X11 display")]
    [InlineData("ssh -o ForwardAgent=yes box1", "ForwardAgent=no")]
    [InlineData("ssh -oforwardagent=yes box1", "ForwardAgent=no")]
    [InlineData("ssh -o 'ForwardAgent yes' box1", "ForwardAgent=no")]
    [InlineData("ssh -o ForwardAgent=/tmp/agent.sock box1", "ForwardAgent=no")]
    [InlineData("ssh -o \"ForwardAgent = \\\"yes\\\"\" box1", "ForwardAgent=no")]
    [InlineData("ssh -o ForwardX11=yes box1", "ForwardX11=no")]
    [InlineData("ssh -o ForwardX11Trusted=yes box1", "ForwardX11Trusted=no")]
    [InlineData("ssh -o ClearAllForwardings=no box1", "ClearAllForwardings=yes")]
    [InlineData("ssh -o BatchMode=no box1", "BatchMode=yes")]
    [InlineData("ssh -R 8384:127.0.0.1:8384 box1", "reach a port on this laptop")]
    [InlineData("ssh -R8384:localhost:8384 box1", "reach a port on this laptop")]
    [InlineData("ssh -o RemoteForward=\"8384 localhost:8384\" box1", "reach a port on this laptop")]
    public void Ssh_options_that_undo_the_hardening_are_refused_in_every_spelling(string prefix, string reason)
    {
        var failure = Assert.Throws<ThopterException>(() => new DevboxTransport("box1", CommandPrefix.Parse(prefix), new FakeProcessRunner()));

        Assert.Equal(ErrorKind.BadInput, failure.Kind);
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.Contains("drop that option", failure.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh -a box1")]
    [InlineData("ssh -o ForwardAgent=no -o BatchMode=yes box1")]
    [InlineData("ssh -F /tmp/config -i ~/.ssh/id -p 2222 -l dev -J jump box1")]
    [InlineData("ssh -o ProxyCommand='nc %h %p' -L 8080:localhost:80 box1")]
    [InlineData("ssh box1 sudo -u dev -A")]
    [InlineData("ssh -- box1 -A")]
    [InlineData("docker exec -A box1")]
    public void Other_ssh_options_and_the_remote_command_pass(string prefix) =>
        Assert.NotNull(new DevboxTransport("box1", CommandPrefix.Parse(prefix), new FakeProcessRunner()));

    [Fact]
    public void Other_transports_get_the_command_as_plain_argv()
    {
        var transport = new DevboxTransport("c", ["docker", "exec", "-u", "dev", "c1"], new FakeProcessRunner());

        Assert.Equal(["exec", "-u", "dev", "c1", "thopter-agent", "a b"], transport.SpecFor(["thopter-agent", "a b"], TimeSpan.FromSeconds(1)).Arguments);
        Assert.Equal(["exec", "-i", "-u", "dev", "c1", "thopter-agent", "a b"], transport.SpecFor(["thopter-agent", "a b"], TimeSpan.FromSeconds(1), (_, _) => Task.CompletedTask).Arguments);
        Assert.False(transport.IsSsh);
        Assert.True(new DevboxTransport("c", ["/usr/bin/ssh", "h"], new FakeProcessRunner()).IsSsh);
    }

    [Fact]
    public async Task Health_check_failure_names_the_transport_and_the_reason()
    {
        var runner = new FakeProcessRunner { Respond = _ => FakeProcessRunner.Fail(255, "ssh: Could not resolve hostname nobox\n") };
        var transport = new DevboxTransport("box1", ["ssh", "nobox"], runner);

        var failure = await Assert.ThrowsAsync<ThopterException>(() => transport.CheckReachableAsync(TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Equal(ErrorKind.DevboxUnreachable, failure.Kind);
        Assert.Contains("devbox \"box1\" unreachable through `ssh nobox`", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Could not resolve hostname", failure.Message, StringComparison.Ordinal);
        Assert.Contains("~/.ssh/config", failure.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolution_prefers_the_option_then_the_record_then_the_default()
    {
        var settings = new SyncSection { DefaultTransport = ["ssh", "{name}.dev"] };
        settings.Devboxes["b2"] = new DevboxEntry { DeviceId = "x", Transport = ["docker", "exec", "b2"] };

        Assert.Equal(["ssh", "other"], TransportResolver.Resolve("b1", "ssh other", settings));
        Assert.Equal(["docker", "exec", "b2"], TransportResolver.Resolve("b2", null, settings));
        Assert.Equal(["ssh", "b1.dev"], TransportResolver.Resolve("b1", null, settings));
        settings.DefaultTransport = ["ssh"];
        Assert.Equal(["ssh", "b1"], TransportResolver.Resolve("b1", null, settings));
        settings.DefaultTransport = null;
        Assert.Equal(ErrorKind.BadInput, Assert.Throws<ThopterException>(() => TransportResolver.Resolve("b1", null, settings)).Kind);
    }
}
