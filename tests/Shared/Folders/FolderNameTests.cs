using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;
using Xunit;

namespace Thopter.Tests.Shared.Folders;

public sealed class FolderNameTests
{
    [Theory]
    [InlineData("code")]
    [InlineData("my-project_2")]
    [InlineData("a.b")]
    [InlineData("Ünïcødé")]
    [InlineData("with space")]
    public void Plain_names_are_valid(string name)
    {
        Assert.Null(FolderName.Problem(name));
        Assert.Equal(name, FolderName.Validate(name));
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData(".", "directory itself")]
    [InlineData("..", "directory itself")]
    [InlineData("a/b", "separator")]
    [InlineData("/abs", "separator")]
    [InlineData("a\\b", "separator")]
    [InlineData("a\0b", "control")]
    [InlineData("a\nb", "control")]
    [InlineData("a\tb", "control")]
    [InlineData("-rf", "'-'")]
    [InlineData(".ssh", "hidden")]
    [InlineData(" code", "whitespace")]
    [InlineData("code ", "whitespace")]
    public void Unsafe_names_are_refused_with_the_reason(string? name, string reason)
    {
        Assert.Contains(reason, FolderName.Problem(name), StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => FolderName.Validate(name));
        Assert.Contains("use one plain name", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message.Split(" (Parameter")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Names_longer_than_a_path_segment_are_refused()
    {
        Assert.Null(FolderName.Problem(new string('a', 255)));
        Assert.Contains("255", FolderName.Problem(new string('a', 256)), StringComparison.Ordinal);
        Assert.NotNull(FolderName.Problem(new string('é', 128)));
    }

    [Fact]
    public void Folder_id_is_prefixed_and_validated()
    {
        Assert.Equal("code", FolderName.FolderIdOf("code"));
        Assert.Throws<ArgumentException>(() => FolderName.FolderIdOf("../x"));
    }

    [Theory]
    [InlineData("box1", true)]
    [InlineData("dev.box_2-a", true)]
    [InlineData("-x", false)]
    [InlineData(".x", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    public void Devbox_names(string name, bool valid)
    {
        Assert.Equal(valid, DevboxName.Problem(name) is null);
    }
}
