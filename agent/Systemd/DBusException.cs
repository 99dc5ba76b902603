namespace Thopter.Agent.Systemd;

/// <summary>An error reply from a D-Bus peer, e.g. <c>org.freedesktop.systemd1.NoSuchUnit</c>.</summary>
public sealed class DBusException(string errorName, string message)
    : Exception($"{errorName}: {message}")
{
    public const string AccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
    public const string InteractiveAuthorizationRequired = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";
    public const string UnknownObject = "org.freedesktop.DBus.Error.UnknownObject";
    public const string NoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";
    public const string NoSuchJob = "org.freedesktop.systemd1.NoSuchJob";

    public string ErrorName { get; } = errorName;

    public string ErrorMessage { get; } = message;

    public bool IsPermissionError => ErrorName is AccessDenied or InteractiveAuthorizationRequired;
}

/// <summary>No bus could be reached; the message lists every address tried and why each failed.</summary>
public sealed class DBusConnectException(string message, IReadOnlyList<string> addressesTried)
    : IOException(message)
{
    public IReadOnlyList<string> AddressesTried { get; } = addressesTried;
}
