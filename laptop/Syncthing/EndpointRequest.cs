namespace Thopter.Laptop.Syncthing;

/// <summary>What the user told us about the laptop's SyncThing (flags or saved settings); all optional.</summary>
public sealed record EndpointRequest(string? SyncthingHome, string? ApiUrl, string? ApiKeyFile);
