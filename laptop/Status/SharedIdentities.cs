using Thopter.Shared.Devices;

namespace Thopter.Laptop.Status;

/// <summary>
/// Devboxes that answer with one device ID: a copy that kept the original's identity, or one devbox paired under two
/// names. SyncThing cannot tell them apart, so their changes and connections mix; each group is reported.
/// </summary>
public static class SharedIdentities
{
    /// <summary>Groups of two or more devbox names (in name order) per device ID, from name → device ID.</summary>
    public static IReadOnlyList<(string DeviceId, IReadOnlyList<string> Names)> Find(IEnumerable<KeyValuePair<string, string>> devboxes) =>
    [
        .. devboxes
            .GroupBy(d => DeviceId.TryParse(d.Value, out var id, out _) ? id.ToString() : d.Value, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(d => d.Key).Order(StringComparer.Ordinal)])),
    ];

    public static string Describe((string DeviceId, IReadOnlyList<string> Names) group) =>
        $"devboxes {string.Join(" and ", group.Names.Select(n => $"\"{n}\""))} answer with one device ID ({(group.DeviceId.Length >= 7 ? group.DeviceId[..7] : group.DeviceId)}): SyncThing sees them as one device";

    public const string Fix =
        "give the copy its own identity (`thopter-agent reset-identity` on it) and pair it again, or `thopter sync unpair` the name that no longer exists";
}
