namespace Thopter.Agent.Setup;

/// <summary>Milliseconds per named step, for the timings in setup's JSON.</summary>
public sealed class StepTimer(TimeProvider time)
{
    private readonly long started = time.GetTimestamp();
    private readonly Dictionary<string, long> steps = [];

    public async Task<T> TimeAsync<T>(string step, Func<Task<T>> work)
    {
        var begin = time.GetTimestamp();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            steps[step + "Ms"] = (long)time.GetElapsedTime(begin).TotalMilliseconds;
        }
    }

    public T Time<T>(string step, Func<T> work) => TimeAsync(step, () => Task.FromResult(work())).GetAwaiter().GetResult();

    public IReadOnlyDictionary<string, long> Finish()
    {
        steps["totalMs"] = (long)time.GetElapsedTime(started).TotalMilliseconds;
        return steps;
    }
}
