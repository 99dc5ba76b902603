using Thopter.Laptop.Conflicts.Collection;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>The notifier through the process seam: no desktop here to show a notification on.</summary>
public sealed class DesktopNotifierTests : IDisposable
{
    private readonly TempDirectory bin = new();

    public void Dispose() => bin.Dispose();

    [Fact]
    public async Task Linux_runs_notify_send_from_path_with_the_texts_as_arguments()
    {
        var program = bin.Combine("notify-send");
        File.WriteAllText(program, string.Empty);
        var processes = new FakeProcessRunner();

        var shown = await new DesktopNotifier(processes, "/nowhere:" + bin.Path, macOs: false).NotifyAsync("thopter: conflict on a.c", "box1's \"version\" stays", CancellationToken.None);

        Assert.True(shown);
        var run = Assert.Single(processes.Runs);
        Assert.Equal(program, run.FileName);
        Assert.Equal(["--app-name=thopter", "--", "thopter: conflict on a.c", "box1's \"version\" stays"], run.Arguments);
    }

    [Fact]
    public async Task Without_notify_send_nothing_runs()
    {
        var processes = new FakeProcessRunner();

        Assert.False(await new DesktopNotifier(processes, bin.Path, macOs: false).NotifyAsync("t", "b", CancellationToken.None));
        Assert.Empty(processes.Runs);
    }

    [Fact]
    public async Task MacOs_passes_the_texts_to_osascript_as_arguments_never_as_script()
    {
        var processes = new FakeProcessRunner { Respond = _ => FakeProcessRunner.Fail(1, "no GUI session") };

        var shown = await new DesktopNotifier(processes, string.Empty, macOs: true).NotifyAsync("t\" & do shell script \"x", "b", CancellationToken.None);

        Assert.False(shown);
        var run = Assert.Single(processes.Runs);
        Assert.Equal("/usr/bin/osascript", run.FileName);
        Assert.Equal("t\" & do shell script \"x", run.Arguments[^2]);
        Assert.DoesNotContain(run.Arguments.Take(run.Arguments.Count - 2), a => a.Contains("shell", StringComparison.Ordinal));
    }
}
