using Thopter.Laptop.Errors;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Transport;

/// <summary>
/// Which prefix reaches a devbox: --transport, else the one recorded when it was paired, else
/// <c>syncthing.defaultTransport</c> with <c>{name}</c> replaced by the devbox name (appended when the default has no
/// <c>{name}</c>, so a default of ["ssh"] means <c>ssh NAME</c>).
/// </summary>
public static class TransportResolver
{
    public const string NamePlaceholder = "{name}";

    public static IReadOnlyList<string> ParseOption(string text)
    {
        try
        {
            return CommandPrefix.Parse(text);
        }
        catch (FormatException error)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"--transport \"{text}\" is not a command prefix: {error.Message}",
                "pass the words that run a command on the devbox, e.g. --transport \"ssh box1\" or --transport \"docker exec -u dev box1\"");
        }
    }

    public static IReadOnlyList<string> Resolve(string devbox, string? option, SyncSection settings)
    {
        if (option is not null)
        {
            return ParseOption(option);
        }

        if (settings.Devboxes.TryGetValue(devbox, out var entry) && entry.Transport.Count > 0)
        {
            return entry.Transport;
        }

        if (settings.DefaultTransport is { Count: > 0 } fallback)
        {
            return fallback.Any(word => word.Contains(NamePlaceholder, StringComparison.Ordinal))
                ? [.. fallback.Select(word => word.Replace(NamePlaceholder, devbox, StringComparison.Ordinal))]
                : [.. fallback, devbox];
        }

        throw new ThopterException(
            ErrorKind.BadInput,
            $"no transport for devbox \"{devbox}\" (none recorded and no syncthing.defaultTransport)",
            $"pass --transport, e.g. --transport \"ssh {devbox}\" or --transport \"docker exec -u dev {devbox}\"");
    }
}
