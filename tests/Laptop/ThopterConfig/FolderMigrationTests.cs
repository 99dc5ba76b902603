using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.IO;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.ThopterConfig;

/// <summary>A ~/.thopter.json written before several folders existed, read and saved by this version.</summary>
public sealed class FolderMigrationTests : IDisposable
{
    // Written by the single-folder version: other tools' keys around ours, odd spacing and escapes in them, an
    // adopted folder path, two devboxes (one with keys from a newer thopter), api and unknown section keys.
    private const string Before = Head + """
            "folderName": "code",
            "folderPath": "/srv/code",

        """ + Rest;

    // folderName/folderPath became the first folder (same name: same SyncThing folder ID); everything else as it was.
    private const string After = Head + """
            "folders": [
              {
                "name": "code",
                "path": "/srv/code"
              }
            ],

        """ + Rest;

    private const string Head = """
        {
          "token":"abc",  "nested": { "z": 1.50, "a": "\u00e9" },
          "syncthing": {
            "deviceId": "LAPTOP-ID",

        """;

    private const string Rest = """
            "devboxes": {
              "box1": {
                "deviceId": "BOX1-ID",
                "transport": [
                  "ssh",
                  "box1"
                ],
                "pairedAt": "2026-11-22T01:02:03Z",
                "agentArgs": [
                  "--listen",
                  "tcp://127.0.0.1:22000"
                ],
                "route": "tunnel",
                "tunnelPort": 40001,
                "color": "red"
              },
              "box2": {
                "deviceId": "BOX2-ID",
                "transport": [
                  "docker",
                  "exec",
                  "-i",
                  "c2"
                ]
              }
            },
            "api": {
              "url": "http://127.0.0.1:8385",
              "tls": false
            },
            "notifyConflicts": false,
            "future": {
              "k": [
                1
              ]
            }
          },
          "after": [1,2]
        }

        """;

    private readonly TempDirectory home = new();
    private readonly ThopterConfigFile file;

    public FolderMigrationTests()
    {
        file = new ThopterConfigFile(ThopterConfigFile.DefaultPath(home.Path));
    }

    public void Dispose() => home.Dispose();

    [Fact]
    public void A_single_folder_file_reads_as_one_shared_folder_that_every_devbox_syncs()
    {
        File.WriteAllText(file.Path, Before);

        var settings = file.Load();

        var folder = Assert.Single(settings.Folders);
        Assert.Equal(("code", "/srv/code", false), (folder.Name, folder.Path, folder.IsOwn));
        Assert.Equal("code", settings.FolderName);
        Assert.Equal(["box1", "box2"], settings.Devboxes.Keys);
        Assert.All(settings.Devboxes.Values, entry => Assert.Equal([folder], settings.FoldersOf(entry)));
        Assert.Equal(Before, File.ReadAllText(file.Path));
    }

    [Fact]
    public void The_first_write_migrates_it_keeping_every_other_key_and_devbox_record_and_a_backup()
    {
        File.WriteAllText(file.Path, Before);

        Assert.True(file.Save(file.Load()));

        Assert.Equal(After, File.ReadAllText(file.Path));
        Assert.Equal(Before, File.ReadAllText(AtomicFile.BackupPathOf(file.Path)));
        Assert.False(file.Save(file.Load()));
    }

    [Fact]
    public void A_folder_list_with_a_subset_and_an_own_folder_round_trips()
    {
        var settings = new SyncSection { DeviceId = "L", Folders = [new SyncFolder { Name = "code" }, new SyncFolder { Name = "notes", Own = true }] };
        settings.Devboxes["a"] = new DevboxEntry { DeviceId = "A", Transport = ["ssh", "a"], Folders = ["notes"] };
        file.Save(settings);

        var back = file.Load();

        Assert.Equal(["code", "notes"], back.Folders.Select(f => f.Name));
        Assert.True(back.Folder("notes")!.IsOwn);
        Assert.Equal(["notes"], back.FoldersOf(back.Devboxes["a"]).Select(f => f.Name));
        Assert.Contains("\"own\": true", File.ReadAllText(file.Path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"syncthing\": {\"folders\": [{\"name\": \"../x\"}]}}", "$.syncthing.folders[0].name is not a valid folder name")]
    [InlineData("{\"syncthing\": {\"folders\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}}", "$.syncthing.folders[1].name names folder \"a\" a second time")]
    [InlineData("{\"syncthing\": {\"folders\": [{\"name\": \"a\", \"own\": true, \"path\": \"/x\"}]}}", "$.syncthing.folders[0].path is not allowed on an own folder")]
    [InlineData("{\"syncthing\": {\"folders\": [{\"name\": \"a\", \"own\": 1}]}}", "$.syncthing.folders[0].own must be true or false, not a number")]
    [InlineData("{\"syncthing\": {\"devboxes\": {\"b\": {\"folders\": \"code\"}}}}", "$.syncthing.devboxes.b.folders must be an array of strings, not a string")]
    public void Wrong_folder_entries_fail_by_their_path(string content, string expected)
    {
        File.WriteAllText(file.Path, content);

        var error = Assert.Throws<ThopterConfigException>(file.Load);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
