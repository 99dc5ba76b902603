namespace Thopter.Agent.Output;

/// <summary><c>{"error": {"code": "checksum-mismatch", "exitCode": 26, "message": "...", "fix": "..."}}</c></summary>
public sealed record ErrorDocument(ErrorBody Error);

public sealed record ErrorBody(string Code, int ExitCode, string Message, string Fix);
