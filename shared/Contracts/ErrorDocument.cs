namespace Thopter.Shared.Contracts;

/// <summary>
/// The agent's error document: <c>{"error": {"code": "checksum-mismatch", "exitCode": 26, "message": "...", "fix": "..."}}</c>.
/// The agent writes it on every failure; the laptop reads it to show the agent's own reason and fix.
/// </summary>
public sealed record ErrorDocument(ErrorBody Error);

public sealed record ErrorBody(string Code, int ExitCode, string Message, string Fix);
