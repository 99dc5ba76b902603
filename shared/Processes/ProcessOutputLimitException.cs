namespace Thopter.Shared.Processes;

/// <summary>A program printed more than <see cref="ProcessSpec.MaxOutputChars"/> on one stream; it was killed and its output dropped.</summary>
public sealed class ProcessOutputLimitException(string program, string stream, int limit)
    : Exception($"{program} printed more than {Describe(limit)} on {stream}; it was stopped and its output dropped")
{
    public string Stream { get; } = stream;

    public int Limit { get; } = limit;

    /// <summary>The bound as a person reads it (4 MiB, 512 KiB).</summary>
    public static string Describe(int chars) =>
        chars >= 1024 * 1024 && chars % (1024 * 1024) == 0 ? $"{chars / (1024 * 1024)} MiB of text"
        : chars >= 1024 && chars % 1024 == 0 ? $"{chars / 1024} KiB of text"
        : $"{chars} characters";
}
