using Thopter.Laptop.Transport;
using Xunit;

namespace Thopter.Tests.Laptop.Transport;

public sealed class StdinCarrierTests
{
    [Theory]
    [InlineData("docker exec -u dev box1", "docker exec -i -u dev box1")]
    [InlineData("docker exec box1", "docker exec -i box1")]
    [InlineData("/usr/bin/podman exec -w /home/dev box1", "/usr/bin/podman exec -i -w /home/dev box1")]
    [InlineData("docker exec -u dev -i box1", "docker exec -u dev -i box1")]
    [InlineData("docker exec -it box1", "docker exec -it box1")]
    [InlineData("docker exec --interactive -u dev box1", "docker exec --interactive -u dev box1")]
    [InlineData("docker exec -u dev box1 -i", "docker exec -i -u dev box1 -i")]
    [InlineData("nerdctl exec --user dev box1", "nerdctl exec -i --user dev box1")]
    [InlineData("kubectl exec -n ns pod --", "kubectl exec -i -n ns pod --")]
    [InlineData("kubectl exec --stdin pod --", "kubectl exec --stdin pod --")]
    [InlineData("kubectl exec -i pod --", "kubectl exec -i pod --")]
    [InlineData("ssh box1", "ssh box1")]
    [InlineData("thopter exec box1 --", "thopter exec box1 --")]
    public void Docker_exec_without_i_gets_it_and_everything_else_is_kept(string given, string expected)
    {
        var (prefix, added) = StdinCarrier.Ensure(CommandPrefix.Parse(given));

        Assert.Equal(expected, string.Join(' ', prefix));
        Assert.Equal(given != expected, added);
    }
}
