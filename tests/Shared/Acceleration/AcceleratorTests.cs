using System.Net;
using System.Net.Sockets;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Timing;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// The accelerator on the real file system and the real inotify-backed watcher; only SyncThing's REST API
/// is replaced by a recorder (the integration test runs two real SyncThings).
/// </summary>
public sealed class AcceleratorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_burst_of_changes_becomes_one_scan_of_exactly_the_changed_paths()
    {
        await using var run = await AcceleratorHarness.StartAsync(
            options => options with { CoalesceWindow = TimeSpan.FromSeconds(1) },
            prepare: folder => Directory.CreateDirectory(Path.Combine(folder, "src")));

        var expected = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var path = $"src/file{i}.cs";
            run.Write(path);
            run.Write(path, "written twice");
            expected.Add(path);
        }

        await run.WaitUntilSyncedAsync();
        var scan = Assert.Single(run.Scanner.Succeeded);
        Assert.Equal(expected.Order(StringComparer.Ordinal), scan.Order(StringComparer.Ordinal));
        Assert.True(run.Accelerator.Counters.EventsSeen >= 20, run.Describe());
        Assert.Equal(1, run.Accelerator.Counters.ScansSucceeded);
        Assert.Equal(20, run.Accelerator.Counters.PathsScanned);
    }

    [Fact]
    public async Task Paths_syncthing_ignores_are_not_scanned()
    {
        await using var run = await AcceleratorHarness.StartAsync(prepare: folder =>
        {
            File.WriteAllText(Path.Combine(folder, ".stignore"), "// build output\n!keep.log\n*.log\n/build\n");
            Directory.CreateDirectory(Path.Combine(folder, "build"));
            Directory.CreateDirectory(Path.Combine(folder, ".stfolder"));
            Directory.CreateDirectory(Path.Combine(folder, "src"));
        });

        var ignored = new[] { "debug.log", "src/trace.log", "build/app.o", ".stfolder/x", "src/.syncthing.main.c.tmp", "src/~syncthing~main.c.tmp" };
        foreach (var path in ignored)
        {
            File.WriteAllText(run.Full(path), "x");
        }

        run.Write("keep.log");
        run.Write("src/main.c");
        await run.WaitUntilSyncedAsync();
        // Give any straggling events of the ignored writes time to turn into (wrong) scans.
        await Task.Delay(200);

        var requested = run.Scanner.AllSubPaths();
        Assert.DoesNotContain(string.Empty, requested);
        Assert.All(ignored, path => Assert.DoesNotContain(path, requested));
        Assert.Equal(["keep.log", "src/main.c"], requested.Distinct().Order(StringComparer.Ordinal));
        Assert.True(run.Accelerator.Counters.EventsIgnored >= ignored.Length, run.Describe());
    }

    [Fact]
    public async Task A_devbox_drops_syncthings_downloads_of_conflict_copies_and_nothing_else()
    {
        await using var run = await AcceleratorHarness.StartAsync(
            options => options with { DropConflictCopyDownloads = true },
            prepare: folder => Directory.CreateDirectory(Path.Combine(folder, "src")));
        var download = "src/.syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp";
        var kept = new[] { "src/.syncthing.notes.txt.tmp", "src/notes.sync-conflict-20261130-133549-RODVKG4.txt", "src/.syncthing.tmp" };

        foreach (var path in kept.Append(download))
        {
            File.WriteAllText(run.Full(path), "x");
        }

        run.Write("src/main.c");
        await run.WaitUntilSyncedAsync();
        await Wait.UntilAsync("the conflict copy's download dropped", _ => Task.FromResult(!File.Exists(run.Full(download))), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));
        Assert.All(kept, path => Assert.True(File.Exists(run.Full(path)), path));
    }

    [Fact]
    public async Task A_devbox_sweeps_conflict_copy_downloads_left_before_it_started()
    {
        const string left = "src/.syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp";
        await using var run = await AcceleratorHarness.StartAsync(
            options => options with { DropConflictCopyDownloads = true },
            prepare: folder =>
            {
                Directory.CreateDirectory(Path.Combine(folder, "src"));
                File.WriteAllText(Path.Combine(folder, left), "half a download");
                File.WriteAllText(Path.Combine(folder, "src/.syncthing.notes.txt.tmp"), "half a download");
            });

        await Wait.UntilAsync("the left download swept", _ => Task.FromResult(!File.Exists(run.Full(left))), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(run.Full("src/.syncthing.notes.txt.tmp")));
    }

    [Fact]
    public async Task Without_the_devbox_option_a_conflict_copys_download_is_left_to_syncthing()
    {
        await using var run = await AcceleratorHarness.StartAsync();
        var download = ".syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp";

        File.WriteAllText(run.Full(download), "x");
        run.Write("main.c");
        await run.WaitUntilSyncedAsync();
        await Task.Delay(200);

        Assert.True(File.Exists(run.Full(download)));
    }

    [Fact]
    public async Task Ignored_directories_get_no_watch_until_stignore_takes_them_back()
    {
        await using var run = await AcceleratorHarness.StartAsync(prepare: folder =>
        {
            File.WriteAllText(Path.Combine(folder, ".stignore"), "node_modules\n");
            Directory.CreateDirectory(Path.Combine(folder, "node_modules/pkg/lib"));
            Directory.CreateDirectory(Path.Combine(folder, "src"));
        });

        for (var i = 0; i < 100; i++)
        {
            File.WriteAllText(run.Full($"node_modules/pkg/lib/f{i}.js"), "x");
        }

        run.Write("src/main.js");
        await run.WaitUntilSyncedAsync();
        await Task.Delay(200);
        Assert.Equal(0, run.Accelerator.Counters.EventsIgnored);

        File.WriteAllText(run.Full(".stignore"), "// nothing ignored now\n");
        await Task.Delay(200);
        run.Write("node_modules/pkg/lib/now-synced.js");
        await run.WaitUntilSyncedAsync();
        Assert.Contains(run.Scanner.AllSubPaths(), sub => sub == "node_modules/pkg/lib/now-synced.js");
    }

    [Fact]
    public async Task Renames_deletes_attribute_changes_and_new_directories_lead_to_scans_of_the_right_paths()
    {
        await using var run = await AcceleratorHarness.StartAsync(prepare: folder =>
        {
            Directory.CreateDirectory(Path.Combine(folder, "olddir/inner"));
            File.WriteAllText(Path.Combine(folder, "olddir/inner/f.txt"), "x");
            File.WriteAllText(Path.Combine(folder, "before.txt"), "x");
            File.WriteAllText(Path.Combine(folder, "doomed.txt"), "x");
            File.WriteAllText(Path.Combine(folder, "script.sh"), "x");
            Directory.CreateDirectory(Path.Combine(folder, "emptydir"));
        });

        File.Move(run.Full("before.txt"), run.Full("after.txt"));
        run.Changed("before.txt", "after.txt");
        Directory.Move(run.Full("olddir"), run.Full("newdir"));
        run.Changed("olddir", "newdir");
        File.Delete(run.Full("doomed.txt"));
        run.Changed("doomed.txt");
        Directory.Delete(run.Full("emptydir"));
        run.Changed("emptydir");
        File.SetUnixFileMode(run.Full("script.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        run.Changed("script.sh");
        Directory.CreateDirectory(run.Full("fresh/a/b"));
        run.Write("fresh/a/b/new.txt");

        await run.WaitUntilSyncedAsync();

        // The moved directory's content is still watched under its new name.
        await Task.Delay(100);
        run.Write("newdir/inner/f.txt", "changed after the move");
        await run.WaitUntilSyncedAsync();
        Assert.Contains(run.Scanner.AllSubPaths(), sub => sub is "newdir" or "newdir/inner" or "newdir/inner/f.txt");
    }

    [Fact]
    public async Task Nothing_is_missed_in_a_burst_of_10000_file_changes()
    {
        await using var run = await AcceleratorHarness.StartAsync(prepare: folder =>
        {
            for (var d = 0; d < 50; d++)
            {
                Directory.CreateDirectory(Path.Combine(folder, $"old{d}"));
            }
        });

        // Half into existing directories, half into directories created during the burst
        // (files written before the new directory's watch exists must still be covered).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            var directory = i % 2 == 0 ? $"old{i % 50}" : $"new{i % 100}";
            if (i < 200 && i % 2 == 1)
            {
                Directory.CreateDirectory(run.Full(directory));
            }

            run.Write($"{directory}/file{i}.txt", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var written = clock.Elapsed;
        await run.WaitUntilSyncedAsync(TimeSpan.FromSeconds(60));
        var counters = run.Accelerator.Counters;
        output.WriteLine($"10,000 writes took {written.TotalMilliseconds:0} ms; index matched after {clock.ElapsedMilliseconds} ms; "
            + $"events {counters.EventsSeen}, scan requests {counters.ScansSucceeded}, sub paths {counters.PathsScanned}, "
            + $"whole-folder {counters.FullFolderScans}, overflows {counters.Overflows}");
        Assert.Equal(10_000, run.ChangedPaths.Count);
        Assert.All(run.Scanner.Succeeded, subs => Assert.True(subs.Count <= 1000));
    }

    [Fact]
    public async Task Pending_paths_survive_syncthing_being_unreachable_and_are_scanned_once_it_is_back()
    {
        var syncthingDown = true;
        await using var run = await AcceleratorHarness.StartAsync();
        // Restart sequence as the REST client reports it: refused connections, a timeout, 503 while starting.
        run.Scanner.Failure = attempt => !Volatile.Read(ref syncthingDown)
            ? null
            : (attempt % 3) switch
            {
                0 => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 10 seconds elapsing."),
                1 => new HttpRequestException("Connection refused (127.0.0.1:8384)", new SocketException((int)SocketError.ConnectionRefused)),
                _ => new HttpRequestException("Response status code does not indicate success: 503 (Service Unavailable).", null, HttpStatusCode.ServiceUnavailable),
            };

        for (var i = 0; i < 30; i++)
        {
            run.Write($"during-outage-{i}.txt");
            await Task.Delay(5);
        }

        await Wait.UntilAsync("several failed scan attempts", _ => Task.FromResult(run.Scanner.Attempts >= 6), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30));
        Assert.Empty(run.Scanner.Succeeded);
        Volatile.Write(ref syncthingDown, false);

        await run.WaitUntilSyncedAsync();
        var counters = run.Accelerator.Counters;
        Assert.True(counters.Failures >= 6, run.Describe());
        Assert.NotNull(counters.LastError);
        Assert.Equal(counters.ScansRequested, counters.Failures + counters.ScansSucceeded);
        Assert.Contains(run.Logger.Entries, entry => entry.Message.Contains("busy or restarting", StringComparison.Ordinal));
    }

    /// <summary>
    /// The laptop's SyncThing restarted while a scan was backing off (up to RetryMaxDelay after a long outage): told it
    /// answers again, the accelerator scans at once instead of after the rest of the backoff.
    /// </summary>
    [Fact]
    public async Task Told_syncthing_is_back_a_failed_scan_is_retried_at_once()
    {
        var syncthingDown = true;
        await using var run = await AcceleratorHarness.StartAsync(options => options with { RetryInitialDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromSeconds(30) });
        run.Scanner.Failure = _ => Volatile.Read(ref syncthingDown) ? new HttpRequestException("Connection refused (127.0.0.1:8384)") : null;
        run.Write("written-while-down.txt");
        await Wait.UntilAsync("a failed scan attempt", _ => Task.FromResult(run.Scanner.Attempts >= 1), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));

        Volatile.Write(ref syncthingDown, false);
        run.Accelerator.RetryNow();

        await run.WaitUntilSyncedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Editing_stignore_reloads_the_patterns_and_scans_the_whole_folder()
    {
        await using var run = await AcceleratorHarness.StartAsync(prepare: folder =>
            File.WriteAllText(Path.Combine(folder, ".stignore"), "*.dat\n"));

        File.WriteAllText(run.Full("first.dat"), "ignored for now");
        run.Write("marker.txt");
        await run.WaitUntilSyncedAsync();
        Assert.DoesNotContain("first.dat", run.Scanner.AllSubPaths());

        File.WriteAllText(run.Full(".stignore"), "*.other\n");
        run.Changed("first.dat");
        await run.WaitUntilSyncedAsync();
        Assert.Contains(string.Empty, run.Scanner.AllSubPaths());

        run.Write("second.dat");
        await run.WaitUntilSyncedAsync();
        Assert.Contains("second.dat", run.Scanner.AllSubPaths());
    }

    [Fact]
    public async Task Starting_requests_one_whole_folder_scan_for_changes_made_before_the_watches()
    {
        await using var run = await AcceleratorHarness.StartAsync(options => options with { ScanFolderOnStart = true });
        await Wait.UntilAsync("the start-up scan", _ => Task.FromResult(run.Scanner.Succeeded.Count == 1), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Assert.Empty(run.Scanner.Succeeded[0]);
        Assert.Equal(1, run.Accelerator.Counters.FullFolderScans);
    }

    [Theory]
    [InlineData("relative/path", "f", "not absolute")]
    [InlineData("/nonexistent/thopter-accel", "f", "does not exist")]
    [InlineData("/tmp", " ", "folder ID is empty")]
    public async Task Bad_options_fail_with_a_clear_reason(string folderPath, string folderId, string reason)
    {
        var options = new AcceleratorOptions { FolderPath = folderPath, FolderId = folderId };
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new Accelerator().RunAsync(options, new NeverCalledScanner(), new ListLogger(), CancellationToken.None));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private sealed class NeverCalledScanner : IFolderScanner
    {
        public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct) =>
            throw new InvalidOperationException("invalid options must fail before any scan");
    }
}
