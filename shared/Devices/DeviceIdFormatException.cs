namespace Thopter.Shared.Devices;

/// <summary>A device ID string that SyncThing would refuse; the message says exactly what is wrong with it.</summary>
public sealed class DeviceIdFormatException(string message) : FormatException(message);
