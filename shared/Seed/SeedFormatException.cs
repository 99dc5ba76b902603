namespace Thopter.Shared.Seed;

/// <summary>A seed stream that is cut short or breaks the format (<see cref="SeedFormat"/>); nothing after it is read.</summary>
public sealed class SeedFormatException(string message, Exception? inner = null) : IOException(message, inner);
