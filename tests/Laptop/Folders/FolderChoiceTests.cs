using Thopter.Laptop.Errors;
using Thopter.Laptop.Folders;
using Thopter.Laptop.ThopterConfig;
using Xunit;

namespace Thopter.Tests.Laptop.Folders;

public sealed class FolderChoiceTests
{
    private static SyncSection Settings() => new()
    {
        DeviceId = "L",
        Folders = [new SyncFolder { Name = "code" }, new SyncFolder { Name = "docs" }, new SyncFolder { Name = "notes", Own = true }],
    };

    [Fact]
    public void A_new_devbox_without_folder_gets_every_folder_and_records_no_list()
    {
        var (folders, record) = FolderChoice.ForPair(Settings(), null, []);

        Assert.Equal(["code", "docs", "notes"], folders.Select(f => f.Name));
        Assert.Null(record);
    }

    [Fact]
    public void Folder_chooses_a_subset_and_a_later_folder_widens_it_in_settings_order()
    {
        var settings = Settings();
        var (first, record) = FolderChoice.ForPair(settings, null, ["notes"]);
        var entry = new DevboxEntry { Folders = record };
        var (again, same) = FolderChoice.ForPair(settings, entry, []);
        var (wider, widened) = FolderChoice.ForPair(settings, entry, ["code"]);

        Assert.Equal(["notes"], first.Select(f => f.Name));
        Assert.Equal(["notes"], again.Select(f => f.Name));
        Assert.Equal(["notes"], same!);
        Assert.Equal(["code", "notes"], wider.Select(f => f.Name));
        Assert.Equal(["code", "notes"], widened!);
    }

    [Fact]
    public void Unpair_folder_narrows_an_every_folder_devbox_to_an_explicit_list()
    {
        var (removed, record) = FolderChoice.ForUnpair(Settings(), new DevboxEntry(), ["docs"]);

        Assert.Equal(["docs"], removed.Select(f => f.Name));
        Assert.Equal(["code", "notes"], record);
    }

    [Fact]
    public void An_unknown_folder_is_bad_input()
    {
        var error = Assert.Throws<ThopterException>(() => FolderChoice.ForPair(Settings(), null, ["nope"]));

        Assert.Equal(ErrorKind.BadInput, error.Kind);
        Assert.Contains("code, docs, notes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_arguments_name_own_folders_and_the_devbox()
    {
        var words = FolderChoice.SetupArguments(Settings().Folders, "box1");

        Assert.Equal(["--folder", "code", "--folder", "docs", "--own-folder", "notes", "--devbox-name", "box1"], words);
        Assert.Equal(["--folder", "code"], FolderChoice.SetupArguments([Settings().Folders[0]], "box1"));
    }
}
