using Thopter.Laptop.Agent;
using Xunit;

namespace Thopter.Tests.Laptop.Agent;

public sealed class AgentArgumentsTests
{
    [Fact]
    public void A_new_option_replaces_only_its_remembered_occurrence()
    {
        var merged = AgentArguments.Merge(["--listen", "tcp://127.0.0.1:1", "--isolated"], ["--listen=tcp://127.0.0.1:2"]);

        Assert.Equal(["--isolated", "--listen=tcp://127.0.0.1:2"], merged);
    }

    [Fact]
    public void Within_one_list_the_last_occurrence_of_an_option_wins()
    {
        var merged = AgentArguments.Merge(
            ["--isolated"],
            ["--syncthing-version", "v1.19.2", "--mirror", "http://127.0.0.1:9/", "--syncthing-version", "v1.29.5"]);

        Assert.Equal(["--isolated", "--mirror", "http://127.0.0.1:9/", "--syncthing-version", "v1.29.5"], merged);
    }
}
