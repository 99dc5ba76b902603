namespace Thopter.Shared.Streams;

/// <summary>
/// One end of a byte pipe: where its bytes come from, where bytes for it go, and how to tell it that no more will come
/// (a half-close: shutdown(SHUT_WR) for a socket, closing stdin for a child, closing stdout for a tunnel process).
/// </summary>
public sealed record StreamEnd(string Name, Stream Input, Stream Output, Action CloseOutput);
