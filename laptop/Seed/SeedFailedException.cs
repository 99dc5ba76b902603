namespace Thopter.Laptop.Seed;

/// <summary>The seed could not be taken (pack failed on the devbox, the transport broke, the time ran out): pairing goes on without it.</summary>
public sealed class SeedFailedException(string message, Exception? inner = null) : Exception(message, inner);
