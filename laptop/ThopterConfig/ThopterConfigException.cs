namespace Thopter.Laptop.ThopterConfig;

/// <summary>~/.thopter.json cannot be used as it is. The file is never changed when this is thrown.</summary>
public sealed class ThopterConfigException(string message, string fix, string filePath, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string Fix { get; } = fix;

    public string FilePath { get; } = filePath;
}
