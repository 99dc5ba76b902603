using Thopter.Shared.Timing;

namespace Thopter.Tests.EndToEnd;

/// <summary>Waits for something sync makes true, with a message naming it.</summary>
public static class Eventually
{
    public static Task TrueAsync(string what, Func<Task<bool>> condition, int seconds = 60, Func<Task<string>>? describe = null) =>
        Wait.UntilAsync(what, _ => condition(), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(seconds), describe);

    public static Task TrueAsync(string what, Func<bool> condition, int seconds = 60) =>
        TrueAsync(what, () => Task.FromResult(condition()), seconds);
}
