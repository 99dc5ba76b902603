using Thopter.Agent;
using Thopter.Agent.Commands;
using Thopter.Agent.Setup;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

public sealed class FolderSpecsTests
{
    [Fact]
    public void One_folder_is_the_single_folder_setup_of_earlier_laptops()
    {
        Assert.Equal([new FolderSpec("code", "code")], FolderSpecs.Validate(["code"], [], null));
    }

    [Fact]
    public void Own_folders_get_their_devbox_in_the_id_and_keep_the_plain_path_name()
    {
        var specs = FolderSpecs.Validate(["code"], ["notes"], "box1");

        Assert.Equal([new FolderSpec("code", "code"), new FolderSpec("notes@box1", "notes")], specs);
    }

    [Theory]
    [InlineData(new string[0], new string[0], null, 2)]
    [InlineData(new[] { "code" }, new[] { "notes" }, null, 2)]
    [InlineData(new[] { "code" }, new[] { "notes" }, "bad/name", 2)]
    [InlineData(new[] { "../x" }, new string[0], null, 41)]
    [InlineData(new[] { "code" }, new[] { "code" }, "box1", 41)]
    public void Bad_folder_arguments_are_refused_before_anything_is_touched(string[] shared, string[] own, string? devbox, int exitCode)
    {
        var error = Assert.Throws<AgentException>(() => FolderSpecs.Validate(shared, own, devbox));

        Assert.Equal(exitCode, error.Code.Value);
    }
}
