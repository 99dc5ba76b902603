using Thopter.Tests.Harness.Docker;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.HarnessTests;

[Trait("Category", "Integration")]
public sealed class DevboxTests(DevboxFixture fixture, ITestOutputHelper output) : IClassFixture<DevboxFixture>
{
    private Devbox Devbox => fixture.Devbox;

    [Fact]
    public async Task Boots_systemd_as_pid_1_and_dev_user_manager_answers_on_its_own_bus()
    {
        output.WriteLine($"devbox boot-to-ready: {Devbox.BootTime.TotalMilliseconds:0} ms");

        Assert.Equal("systemd", (await Devbox.ReadFileAsync("/proc/1/comm")).Trim());
        var user = await Devbox.ExecAsync("dev", "systemctl", "--user", "is-system-running");
        Assert.Contains(user.StandardOutput.Trim(), new[] { "running", "degraded" });
        var bus = await Devbox.ExecAsync("root", "stat", "-c", "%U %F", "/run/user/1000/bus");
        Assert.Equal("dev socket", bus.EnsureSuccess().StandardOutput.Trim());
    }

    [Fact]
    public async Task Exec_without_user_bus_environment_leaves_it_to_the_program_to_find_the_bus()
    {
        var bare = new ExecOptions { WithUserBus = false };

        var env = (await Devbox.ExecAsync("dev", ["env"], bare)).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain("XDG_RUNTIME_DIR", env, StringComparison.Ordinal);
        Assert.DoesNotContain("DBUS_SESSION_BUS_ADDRESS", env, StringComparison.Ordinal);
        Assert.Contains("HOME=/home/dev", env, StringComparison.Ordinal);
        var user = await Devbox.ExecAsync("dev", ["systemctl", "--user", "is-system-running"], bare);
        Assert.NotEqual(0, user.ExitCode);
        var found = await Devbox.ExecAsync("dev", ["systemctl", "--user", "is-system-running"], bare with { Environment = new Dictionary<string, string> { ["XDG_RUNTIME_DIR"] = "/run/user/1000" } });
        Assert.Contains(found.StandardOutput.Trim(), new[] { "running", "degraded" });
    }

    [Fact]
    public async Task Copies_files_in_and_out_and_writes_files_with_owner_and_mode()
    {
        var dir = Directory.CreateTempSubdirectory("thopter-harness-");
        try
        {
            var original = Path.Combine(dir.FullName, "in.bin");
            var bytes = new byte[100_000];
            Random.Shared.NextBytes(bytes);
            await File.WriteAllBytesAsync(original, bytes);

            await Devbox.CopyInAsync(original, "/home/dev/in.bin", owner: "dev");
            Assert.Equal("dev", (await Devbox.ExecAsync("root", "stat", "-c", "%U", "/home/dev/in.bin")).StandardOutput.Trim());
            var back = Path.Combine(dir.FullName, "out.bin");
            await Devbox.CopyOutAsync("/home/dev/in.bin", back);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(back));

            await Devbox.WriteFileAsync("/home/dev/secret.txt", "s3cret\n", owner: "dev", mode: "0600");
            Assert.Equal("dev 600", (await Devbox.ExecAsync("root", "stat", "-c", "%U %a", "/home/dev/secret.txt")).StandardOutput.Trim());
            Assert.Equal("s3cret\n", await Devbox.ReadFileAsync("/home/dev/secret.txt", user: "dev"));
        }
        finally
        {
            await Devbox.ExecAsync("root", "rm", "-f", "/home/dev/in.bin", "/home/dev/secret.txt");
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Exec_reports_exit_code_stderr_and_passes_environment_and_stdin()
    {
        var result = await Devbox.ExecAsync(
            "dev",
            ["bash", "-c", "cat; echo \"$GREETING\" >&2; exit 7"],
            new ExecOptions { StandardInput = "from stdin", Environment = new Dictionary<string, string> { ["GREETING"] = "hello" } });

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("from stdin", result.StandardOutput);
        Assert.Equal("hello", result.StandardError.Trim());
        var error = Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
        Assert.Contains("exited 7", error.Message, StringComparison.Ordinal);
    }
}

[Trait("Category", "Integration")]
public sealed class PlainDevboxTests(PlainDevboxFixture fixture) : IClassFixture<PlainDevboxFixture>
{
    [Fact]
    public async Task Pid_1_is_not_systemd_and_no_user_manager_answers()
    {
        var devbox = fixture.Devbox;

        Assert.NotEqual("systemd", (await devbox.ReadFileAsync("/proc/1/comm")).Trim());
        var user = await devbox.ExecAsync("dev", "systemctl", "--user", "is-system-running");
        Assert.NotEqual(0, user.ExitCode);
        Assert.Equal("dev", (await devbox.ExecAsync("dev", "whoami")).EnsureSuccess().StandardOutput.Trim());
    }
}
