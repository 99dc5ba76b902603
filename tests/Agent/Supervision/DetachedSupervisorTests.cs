using Xunit;
using Thopter.Agent.Supervision;

namespace Thopter.Tests.Agent.Supervision;

public sealed class DetachedSupervisorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("thopter-supervisor-").FullName;

    [Fact]
    public void No_pid_file_means_no_supervisor()
    {
        var supervisor = new DetachedSupervisor(new SupervisorPaths(directory), "/usr/local/bin/thopter-agent");

        Assert.Null(supervisor.RunningPid());
    }

    [Fact]
    public void A_live_pid_that_is_not_our_supervisor_is_ignored()
    {
        // Our own test process is alive but is not `thopter-agent run --pid-file=...`: pid reuse must not fool us.
        var paths = new SupervisorPaths(directory);
        File.WriteAllText(paths.PidFile, $"{Environment.ProcessId}\n");

        Assert.Null(DetachedSupervisor.LivePid(paths.PidFile));
        Assert.Equal(Environment.ProcessId, DetachedSupervisor.ReadPid(paths.PidFile));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5")]
    public void Garbage_pid_files_read_as_no_pid(string content)
    {
        var paths = new SupervisorPaths(directory);
        File.WriteAllText(paths.PidFile, content);

        Assert.Null(DetachedSupervisor.ReadPid(paths.PidFile));
    }

    [Fact]
    public void Run_arguments_name_the_spec_and_the_state_files()
    {
        var paths = new SupervisorPaths(directory);
        var supervisor = new DetachedSupervisor(paths, "/usr/local/bin/thopter-agent");

        var arguments = supervisor.RunArguments(new Thopter.Agent.Systemd.SyncthingServiceSpec("/usr/bin/syncthing", "/home/dev/st"));

        Assert.Equal(
            ["run", "--syncthing=/usr/bin/syncthing", "--home=/home/dev/st", $"--pid-file={paths.PidFile}", $"--log-file={paths.LogFile}"],
            arguments);
        Assert.Equal(
            [.. arguments, "--syncthing-version=v2.1.3"],
            supervisor.RunArguments(new Thopter.Agent.Systemd.SyncthingServiceSpec("/usr/bin/syncthing", "/home/dev/st") { SyncthingVersion = "v2.1.3" }));
    }

    [Fact]
    public void State_lives_under_XDG_STATE_HOME_or_local_state()
    {
        Assert.Equal("/x/state/thopter", SupervisorPaths.ForUser("/home/dev", name => name == "XDG_STATE_HOME" ? "/x/state" : null).StateDirectory);
        Assert.Equal("/home/dev/.local/state/thopter", SupervisorPaths.ForUser("/home/dev", _ => null).StateDirectory);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
