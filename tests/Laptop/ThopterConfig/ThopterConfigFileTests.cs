using System.Text;
using Thopter.Shared.IO;
using Thopter.Laptop.ThopterConfig;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.ThopterConfig;

public sealed class ThopterConfigFileTests : IDisposable
{
    private readonly TempDirectory home = new();
    private readonly ThopterConfigFile file;

    public ThopterConfigFileTests()
    {
        file = new ThopterConfigFile(ThopterConfigFile.DefaultPath(home.Path));
    }

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_held_lock_makes_the_next_locker_wait_and_time_out_with_the_reason()
    {
        using (await file.LockAsync(TimeSpan.FromSeconds(5)))
        {
            var error = await Assert.ThrowsAsync<Thopter.Shared.Timing.WaitTimeoutException>(() => file.LockAsync(TimeSpan.FromMilliseconds(200)));
            Assert.Contains("another thopter command is changing it", error.Message, StringComparison.Ordinal);
        }

        using var again = await file.LockAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Concurrent_read_modify_write_under_the_lock_loses_no_entry()
    {
        file.Save(new SyncSection { DeviceId = "laptop", Folders = [new SyncFolder { Name = "code" }] });

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            using (await file.LockAsync(TimeSpan.FromSeconds(30)))
            {
                var settings = file.Load();
                settings.Devboxes[$"box{i}"] = new DevboxEntry { DeviceId = $"id{i}" };
                await Task.Yield();
                file.Save(settings);
            }
        })));

        Assert.Equal(20, file.Load().Devboxes.Count);
    }

    [Fact]
    public void Missing_file_reads_as_empty_settings()
    {
        var section = file.Load();

        Assert.True(section.IsEmpty);
        Assert.False(File.Exists(file.Path));
    }

    [Fact]
    public void Empty_file_reads_as_empty_settings()
    {
        File.WriteAllText(file.Path, "  \n");

        Assert.True(file.Load().IsEmpty);
    }

    [Fact]
    public void Save_creates_the_file_private_and_it_reads_back()
    {
        var section = Sample();

        Assert.True(file.Save(section));

        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(file.Path));
        var back = file.Load();
        Assert.Equal("DEVICE-LAPTOP", back.DeviceId);
        Assert.Equal("code", back.FolderName);
        var box = back.Devboxes["box1"];
        Assert.Equal("DEVICE-BOX", box.DeviceId);
        Assert.Equal(["ssh", "box1"], box.Transport);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), box.PairedAt);
        Assert.Equal(["docker", "exec", "-i"], back.DefaultTransport);
        Assert.Equal("http://127.0.0.1:9999", back.Api!.Url);
    }

    [Fact]
    public void Other_keys_keep_their_exact_bytes()
    {
        const string before = "{\"theme\" : \"dark\\u00e9\",\n\t\"n\": 1.50e3, \"nested\": {\"a\": [1,2, 3]},\n\"syncthing\": {\"deviceId\": \"OLD\"}, \"last\":true }";
        File.WriteAllText(file.Path, before);

        file.Save(Sample());

        var after = File.ReadAllText(file.Path);
        Assert.StartsWith("{\"theme\" : \"dark\\u00e9\",\n\t\"n\": 1.50e3, \"nested\": {\"a\": [1,2, 3]},\n\"syncthing\": {", after, StringComparison.Ordinal);
        Assert.EndsWith("}, \"last\":true }", after, StringComparison.Ordinal);
        Assert.DoesNotContain("OLD", after, StringComparison.Ordinal);
        Assert.Equal("DEVICE-LAPTOP", file.Load().DeviceId);
    }

    [Fact]
    public void Section_is_appended_when_absent_and_the_rest_is_kept()
    {
        File.WriteAllText(file.Path, "{\n  \"other\": {\"x\": 1}\n}\n");

        file.Save(Sample());

        var text = File.ReadAllText(file.Path);
        Assert.StartsWith("{\n  \"other\": {\"x\": 1},\n  \"syncthing\": {\n    \"deviceId\": \"DEVICE-LAPTOP\"", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n}\n", text, StringComparison.Ordinal);
        Assert.Equal("DEVICE-LAPTOP", file.Load().DeviceId);
    }

    [Fact]
    public void Section_is_added_to_an_empty_object()
    {
        File.WriteAllText(file.Path, "{}");

        file.Save(Sample());

        Assert.Equal("code", file.Load().FolderName);
    }

    [Fact]
    public void Unknown_keys_inside_the_section_survive()
    {
        File.WriteAllText(file.Path, """{"syncthing": {"deviceId": "A", "future": {"k": [1]}, "devboxes": {"b": {"deviceId": "B", "transport": ["ssh"], "color": "red"}}, "api": {"url": "u", "tls": false}}}""");

        var section = file.Load();
        section.DeviceId = "C";
        file.Save(section);

        var text = File.ReadAllText(file.Path);
        Assert.Contains("\"future\": {", text, StringComparison.Ordinal);
        Assert.Contains("\"color\": \"red\"", text, StringComparison.Ordinal);
        Assert.Contains("\"tls\": false", text, StringComparison.Ordinal);
        Assert.Equal("C", file.Load().DeviceId);
    }

    [Fact]
    public void Saving_the_same_settings_twice_changes_nothing_the_second_time()
    {
        Assert.True(file.Save(Sample()));
        var bytes = File.ReadAllBytes(file.Path);

        Assert.False(file.Save(file.Load()));

        Assert.Equal(bytes, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public void Save_keeps_a_backup_of_the_previous_file()
    {
        File.WriteAllText(file.Path, "{\"keep\": 1}");

        file.Save(Sample());

        Assert.Equal("{\"keep\": 1}", File.ReadAllText(AtomicFile.BackupPathOf(file.Path)));
    }

    [Theory]
    [InlineData("{\"a\": 1,\n  \"b\": }", "line 2")]
    [InlineData("{\"a\": 1", "not valid JSON")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{\"a\": 1} trailing", "not valid JSON")]
    [InlineData("{\"a\": 1, // note\n}", "not valid JSON")]
    [InlineData("{\"syncthing\": 5}", "$.syncthing must be an object, not a number")]
    [InlineData("{\"syncthing\": {\"deviceId\": 7}}", "$.syncthing.deviceId must be a string, not a number")]
    [InlineData("{\"syncthing\": {\"folderName\": \"../etc\"}}", "$.syncthing.folderName is not a valid folder name")]
    [InlineData("{\"syncthing\": {\"devboxes\": []}}", "$.syncthing.devboxes must be an object")]
    [InlineData("{\"syncthing\": {\"devboxes\": {\"b\": {\"transport\": [\"ssh\", 3]}}}}", "$.syncthing.devboxes.b.transport[1] must be a string")]
    [InlineData("{\"syncthing\": {\"devboxes\": {\"b\": {\"pairedAt\": \"yesterday\"}}}}", "$.syncthing.devboxes.b.pairedAt must be a date and time (ISO 8601), not a string")]
    [InlineData("{\"syncthing\": {\"defaultTransport\": \"ssh\"}}", "$.syncthing.defaultTransport must be an array")]
    [InlineData("{\"syncthing\": {\"api\": {\"url\": true}}}", "$.syncthing.api.url must be a string")]
    [InlineData("{\"syncthing\": {\"devboxes\": {\"b.1\": {\"tunnelPort\": \"x\"}}}}", "$.syncthing.devboxes['b.1'].tunnelPort must be a whole number, not a string")]
    [InlineData("{\"syncthing\": {\"devboxes\": {\"b\": {\"tunnelPort\": 70000}}}}", "$.syncthing.devboxes.b.tunnelPort must be a TCP port")]
    [InlineData("{\"syncthing\": {\"devboxes\": {\"b\": null}}}", "$.syncthing.devboxes.b must be an object, not null")]
    [InlineData("{\"syncthing\": {\"notifyConflicts\": \"no\"}}", "$.syncthing.notifyConflicts must be true or false, not a string")]
    public void Corrupt_file_or_wrong_types_fail_clearly_and_nothing_is_written(string content, string expected)
    {
        File.WriteAllText(file.Path, content);
        File.SetUnixFileMode(file.Path, AtomicFile.PublicMode);

        var onLoad = Assert.Throws<ThopterConfigException>(file.Load);
        var onSave = Assert.Throws<ThopterConfigException>(() => file.Save(Sample()));
        var onClear = Assert.Throws<ThopterConfigException>(() => file.Clear());

        Assert.Contains(expected, onLoad.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, onLoad.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(onLoad.Fix));
        Assert.Equal(onLoad.Message, onSave.Message);
        Assert.Equal(onLoad.Message, onClear.Message);
        Assert.Equal(content, File.ReadAllText(file.Path));
        Assert.Equal(AtomicFile.PublicMode, File.GetUnixFileMode(file.Path));
        Assert.False(File.Exists(AtomicFile.BackupPathOf(file.Path)));
    }

    [Fact]
    public void Syntax_errors_name_line_and_position()
    {
        File.WriteAllText(file.Path, "{\n  \"a\": 1,\n  \"b\": x\n}");

        var error = Assert.Throws<ThopterConfigException>(file.Load);

        Assert.Contains("at line 3, position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        File.WriteAllText(file.Path, "{\"syncthing\": {}, \"syncthing\": {\"deviceId\": \"X\"}}");

        Assert.Throws<ThopterConfigException>(file.Load);
    }

    [Fact]
    public void Clear_removes_only_the_section()
    {
        File.WriteAllText(file.Path, "{\"a\": 1, \"syncthing\": {\"deviceId\": \"X\"}, \"b\": [2]}");

        Assert.True(file.Clear());

        Assert.Equal("{\"a\": 1, \"b\": [2]}", File.ReadAllText(file.Path));
        Assert.False(file.Clear());
    }

    [Theory]
    [InlineData("{\"syncthing\": {}, \"b\": 2}", "{\"b\": 2}")]
    [InlineData("{ \"syncthing\": {} }", "{}")]
    [InlineData("{\"a\": 1, \"syncthing\": {}}", "{\"a\": 1}")]
    public void Clear_handles_first_last_and_only_keys(string before, string after)
    {
        File.WriteAllText(file.Path, before);

        file.Clear();

        Assert.Equal(after, File.ReadAllText(file.Path));
    }

    [Fact]
    public void Byte_order_mark_is_tolerated_and_kept()
    {
        File.WriteAllBytes(file.Path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"a\": 1}")]);

        file.Save(Sample());

        var bytes = File.ReadAllBytes(file.Path);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal("code", file.Load().FolderName);
    }

    private static SyncSection Sample()
    {
        var section = new SyncSection
        {
            DeviceId = "DEVICE-LAPTOP",
            Folders = [new SyncFolder { Name = "code" }],
            DefaultTransport = ["docker", "exec", "-i"],
            Api = new ApiSettings { Url = "http://127.0.0.1:9999" },
        };
        section.Devboxes["box1"] = new DevboxEntry
        {
            DeviceId = "DEVICE-BOX",
            Transport = ["ssh", "box1"],
            PairedAt = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
        };
        return section;
    }
}
