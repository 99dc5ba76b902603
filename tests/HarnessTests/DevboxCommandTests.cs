using Docker.DotNet.Models;
using Thopter.Tests.Harness.Docker;
using Xunit;

namespace Thopter.Tests.HarnessTests;

/// <summary>The container parameters the devbox fixture hands Testcontainers, and the owner check (no Docker needed).</summary>
public sealed class DevboxCommandTests
{
    [Fact]
    public void A_systemd_devbox_gets_the_pid_1_flags_on_the_host_network()
    {
        var parameters = new CreateContainerParameters { HostConfig = new HostConfig { CapAdd = ["NET_ADMIN"] } };

        DevboxContainer.Configure(parameters, new DevboxOptions().WithImage("img:1"));

        var host = parameters.HostConfig;
        Assert.Equal("host", host.NetworkMode);
        Assert.Equal(["NET_ADMIN", "SYS_ADMIN"], host.CapAdd);
        Assert.Equal(["seccomp=unconfined", "apparmor=unconfined"], host.SecurityOpt);
        Assert.Equal("private", host.CgroupnsMode);
        Assert.Equal(["/run", "/run/lock"], host.Tmpfs!.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("container=docker", parameters.Env);
        Assert.True(parameters.Tty);
        Assert.Equal([DevboxContainer.SystemdInit], parameters.Cmd);
        Assert.NotEqual(true, host.Init);
    }

    [Fact]
    public void A_devbox_without_systemd_runs_docker_init_and_sleep_without_privileges()
    {
        var parameters = new CreateContainerParameters();

        DevboxContainer.Configure(parameters, new DevboxOptions().WithImage("img:1").WithoutSystemd());

        var host = parameters.HostConfig!;
        Assert.True(host.Init);
        Assert.Equal("host", host.NetworkMode);
        Assert.Equal(["sleep", "infinity"], parameters.Cmd);
        Assert.Null(host.CapAdd);
        Assert.Null(host.SecurityOpt);
    }

    [Fact]
    public void The_owner_check_tells_this_live_process_from_dead_or_recycled_pids()
    {
        var self = TestRunLabels.Current;

        Assert.True(TestRunLabels.IsOwnerAlive(self.OwnerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), self.OwnerStartTime));
        Assert.False(TestRunLabels.IsOwnerAlive(self.OwnerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "1"));
        Assert.False(TestRunLabels.IsOwnerAlive("999999999", self.OwnerStartTime));
        Assert.False(TestRunLabels.IsOwnerAlive("not-a-pid", self.OwnerStartTime));
    }
}
