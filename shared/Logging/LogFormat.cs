namespace Thopter.Shared.Logging;

/// <summary>How log lines look on stderr (--log-format).</summary>
public enum LogFormat
{
    /// <summary>One human-readable line per event.</summary>
    Text,

    /// <summary>Serilog's compact JSON (CLEF), one object per line, for log collectors.</summary>
    Json,
}
