namespace Thopter.Shared.Config;

/// <summary>config.xml that SyncThing could not use (malformed XML, wrong root, a value of the wrong type).</summary>
public sealed class ConfigXmlException(string message, Exception? inner = null) : FormatException(message, inner);
