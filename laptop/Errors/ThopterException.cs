namespace Thopter.Laptop.Errors;

/// <summary>
/// A failure the laptop anticipated: its kind, a one-line reason and the fix to suggest. Domain code throws it;
/// the CLI's ErrorMapper turns it into an exit code and the user's two lines. Messages never carry the API key.
/// </summary>
public sealed class ThopterException(ErrorKind kind, string reason, string fix, Exception? innerException = null)
    : Exception(reason, innerException)
{
    public ErrorKind Kind { get; } = kind;

    public string Fix { get; } = fix;
}
