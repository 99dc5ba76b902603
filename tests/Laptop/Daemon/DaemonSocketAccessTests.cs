using Thopter.Laptop.Daemon.Host;
using Thopter.Shared.Processes;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// Only the user reaches the daemon: its socket is 0600 inside a 0700 directory, and each of the two alone keeps
/// another user (nobody, through setpriv) out. The same probe connecting once both are opened shows it can succeed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DaemonSocketAccessTests : IAsyncLifetime
{
    private const UnixFileMode Open = (UnixFileMode)0b111_101_101;
    private readonly DaemonHome daemon = new();

    public async Task InitializeAsync()
    {
        var start = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "start");
        Assert.True(start.ExitCode == 0, start.ToString());
    }

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public void The_socket_is_0600_in_a_0700_directory()
    {
        Assert.Equal(PrivateDirectory.Mode, File.GetUnixFileMode(daemon.Paths.RunDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(daemon.Paths.Socket));
    }

    [Fact]
    public async Task Another_user_cannot_connect_through_either_the_directory_or_the_socket()
    {
        // Open every directory above the run directory, as a careless home would be.
        foreach (var directory in new[] { daemon.Home.Path, daemon.Home.Combine(".local"), daemon.Home.Combine(".local", "state"), daemon.Paths.StateDirectory })
        {
            File.SetUnixFileMode(directory, Open);
        }

        Assert.Contains("PermissionError", await ConnectAsNobodyAsync());

        File.SetUnixFileMode(daemon.Paths.RunDirectory, Open);
        Assert.Contains("PermissionError", await ConnectAsNobodyAsync());

        File.SetUnixFileMode(daemon.Paths.Socket, (UnixFileMode)0b110_110_110);
        Assert.Contains("connected", await ConnectAsNobodyAsync());
    }

    private async Task<string> ConnectAsNobodyAsync()
    {
        const string probe = "import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(sys.argv[1]); print('connected')\nexcept OSError as e:\n    print(type(e).__name__)";
        var result = await new ProcessRunner().RunAsync(new ProcessSpec(
            "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", probe, daemon.Paths.Socket]) { Timeout = TimeSpan.FromSeconds(30) });
        Assert.True(result.Succeeded, $"setpriv failed: {result.StandardError}");
        return result.StandardOutput.Trim();
    }
}
