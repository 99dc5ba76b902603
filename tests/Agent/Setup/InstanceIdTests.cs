using Thopter.Agent.Setup;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

public sealed class InstanceIdTests
{
    [Fact]
    public void Same_machine_and_hostname_give_the_same_id_and_a_clone_hostname_another()
    {
        var original = InstanceId.Derive("0123456789abcdef0123456789abcdef\n", "devbox-1");

        Assert.Equal(original, InstanceId.Derive("0123456789abcdef0123456789abcdef", "devbox-1\n"));
        Assert.NotEqual(original, InstanceId.Derive("0123456789abcdef0123456789abcdef", "devbox-2"));
        Assert.NotEqual(original, InstanceId.Derive("fedcba9876543210fedcba9876543210", "devbox-1"));
        Assert.DoesNotContain("0123456789abcdef", original, StringComparison.Ordinal);
        Assert.Null(InstanceId.Problem(original));
    }

    [Fact]
    public void Platform_id_reads_machine_id_and_hostname_files()
    {
        var dir = Directory.CreateTempSubdirectory("thopter-instance-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "machine-id"), "abc\n");
            File.WriteAllText(Path.Combine(dir, "hostname"), "box\n");
            Assert.Equal(InstanceId.Derive("abc", "box"), InstanceId.FromPlatform(Path.Combine(dir, "machine-id"), Path.Combine(dir, "hostname")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a\nb")]
    public void Rejects_unsafe_instance_ids(string id) => Assert.NotNull(InstanceId.Problem(id));
}
