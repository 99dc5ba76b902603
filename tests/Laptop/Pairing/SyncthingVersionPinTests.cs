using Thopter.Laptop.Pairing;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

public sealed class SyncthingVersionPinTests
{
    [Theory]
    [InlineData("v1.19.2-ds1", "v1.19.2")]
    [InlineData("1.19.2~ds1", "v1.19.2")]
    [InlineData("1.19.2~ds1-1+deb12u1", "v1.19.2")]
    [InlineData("v1.29.5", "v1.29.5")]
    [InlineData("v2.1.3", "v2.1.3")]
    [InlineData("v2.0.0-rc.3", "v2.0.0-rc.3")]
    [InlineData("v2.1.0-beta.1", "v2.1.0-beta.1")]
    [InlineData("v2.1.3+dfsg", "v2.1.3")]
    [InlineData("v2.1.3-dev.12.gabcdef0", "v2.1.3")]
    [InlineData("unknown-dev", null)]
    [InlineData("", null)]
    public void Laptop_versions_map_to_upstream_releases(string reported, string? expected) =>
        Assert.Equal(expected, SyncthingVersionPin.LaptopRelease(reported));

    [Fact]
    public void The_laptops_release_is_added_to_the_setup_arguments()
    {
        Assert.Equal(["--isolated", "--syncthing-version", "v2.1.3"], SyncthingVersionPin.SetupArguments(["--isolated"], "v2.1.3"));
    }

    [Theory]
    [InlineData("--syncthing-version", "v1.19.2")]
    [InlineData("--syncthing-version=v1.29.5", null)]
    [InlineData("--syncthing-binary", "/usr/bin/syncthing")]
    [InlineData("--syncthing-binary=/usr/bin/syncthing", null)]
    public void A_pinned_version_or_binary_wins(string option, string? value)
    {
        string[] args = value is null ? [option] : [option, value];

        Assert.Equal(args, SyncthingVersionPin.SetupArguments(args, "v2.1.3"));
    }

    [Fact]
    public void Without_a_laptop_release_the_agent_default_stays()
    {
        Assert.Equal(["--isolated"], SyncthingVersionPin.SetupArguments(["--isolated"], null));
    }
}
