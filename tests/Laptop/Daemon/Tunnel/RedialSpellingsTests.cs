using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Route;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon.Tunnel;

/// <summary>
/// The spelling a redial prompt gives SyncThing: never one it was given within the last prompts while another is
/// fresher. Two spellings (tcp://, tcp4://) were not enough: a tunnel killed 20 s after the pair's prompt found both
/// dialled within SyncThing's 60 s and sync waited out the minute (measured 26-52 s).
/// </summary>
public sealed class RedialSpellingsTests
{
    [Fact]
    public void Each_prompt_takes_the_spelling_given_least_recently_and_all_name_the_same_port()
    {
        var time = new SteppedTime();
        var spellings = new RedialSpellings(time);
        var address = DevboxRoute.TunnelAddress(4100);
        var given = new List<string> { address };
        for (var prompt = 0; prompt < 7; prompt++)
        {
            time.Now += TimeSpan.FromSeconds(5).Ticks;
            address = spellings.Next(address, 4100);
            given.Add(address);
        }

        // Four spellings, each unused for the three prompts before it is given again.
        Assert.Equal(4, given.Distinct().Count());
        for (var i = 4; i < given.Count; i++)
        {
            Assert.Equal(given[i - 4], given[i]);
        }

        Assert.All(given, a => Assert.Equal(4100, DevboxRoute.TunnelPortOf(a)));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:4100", 4100)]
    [InlineData("tcp4://127.0.0.1:4100", 4100)]
    [InlineData("tcp://[::ffff:127.0.0.1]:4100", 4100)]
    [InlineData("tcp4://[::ffff:127.0.0.1]:4100", 4100)]
    [InlineData("tcp://127.0.0.2:4100", null)]
    [InlineData("tcp://127.0.0.1:4100/x", null)]
    [InlineData("tcp://127.0.0.1:70000", null)]
    [InlineData("dynamic", null)]
    public void A_tunnel_address_is_known_in_every_spelling_and_nothing_else_is(string address, int? port) =>
        Assert.Equal(port, DevboxRoute.TunnelPortOf(address));

    private sealed class SteppedTime : TimeProvider
    {
        public long Now { get; set; } = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;
    }
}
