using Thopter.Laptop.Transport;
using Xunit;

namespace Thopter.Tests.Laptop.Transport;

public sealed class StdinForwardingTests
{
    [Theory]
    [InlineData("docker exec -u dev box", "docker exec -i -u dev box")]
    [InlineData("/usr/bin/podman exec box", "/usr/bin/podman exec -i box")]
    [InlineData("docker exec -it box", "docker exec -it box")]
    [InlineData("docker exec --interactive box", "docker exec --interactive box")]
    [InlineData("kubectl exec -i pod --", "kubectl exec -i pod --")]
    [InlineData("ssh box", "ssh box")]
    [InlineData("thopter exec box --", "thopter exec box --")]
    public void Container_exec_prefixes_get_minus_i_others_stay_as_written(string prefix, string expected)
    {
        Assert.Equal(expected, CommandPrefix.Format(StdinForwarding.Prefix(CommandPrefix.Parse(prefix))));
    }
}
