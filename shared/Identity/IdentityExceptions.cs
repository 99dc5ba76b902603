namespace Thopter.Shared.Identity;

/// <summary>Refusal to generate over an existing identity: replacing a key silently changes the device ID every peer knows.</summary>
public sealed class IdentityExistsException(string path)
    : IOException($"{path} already exists; refusing to overwrite a SyncThing identity (remove cert.pem and key.pem first to replace it)")
{
    public string Path { get; } = path;
}

public sealed class IdentityMissingException(string path)
    : FileNotFoundException($"{path} does not exist; generate a SyncThing identity first", path)
{
    public string Path { get; } = path;
}

public sealed class IdentityCorruptException(string path, string reason, Exception? inner = null)
    : IOException($"{path} is not a usable SyncThing identity file: {reason}", inner)
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
