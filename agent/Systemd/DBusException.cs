namespace Thopter.Agent.Systemd;

/// <summary>An error reply from a D-Bus peer, e.g. <c>org.freedesktop.systemd1.NoSuchUnit</c>.</summary>
public sealed class DBusException(string errorName, string message)
    : Exception($"{errorName}: {message}")
{
    public const string AccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
    public const string InteractiveAuthorizationRequired = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";
    public const string ServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown";
    public const string NoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";

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

/// <summary>The connection broke during a call, or a reply did not have the shape we read.</summary>
public sealed class DBusTransportException(string message, Exception inner) : IOException(message, inner);
