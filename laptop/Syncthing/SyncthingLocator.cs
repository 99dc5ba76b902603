using Thopter.Laptop.Errors;
using Thopter.Shared.Config;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Syncthing;

/// <summary>
/// Finds the laptop's SyncThing REST endpoint: an explicit --api-url/--api-key-file, else the
/// config.xml of an explicit --syncthing-home, else the config.xml in SyncThing's usual homes.
/// </summary>
public static class SyncthingLocator
{
    public const string StartHint =
        "start SyncThing (`syncthing serve --no-browser &`, or `systemctl --user enable --now syncthing`; on macOS `brew services start syncthing`), then run this again";

    /// <summary>SyncThing's homes in the order it looks for them (v2 and v1.27+, older Linux, macOS).</summary>
    public static IReadOnlyList<string> DefaultHomes(string home) =>
    [
        Path.Combine(home, ".local", "state", "syncthing"),
        Path.Combine(home, ".config", "syncthing"),
        Path.Combine(home, "Library", "Application Support", "Syncthing"),
    ];

    public static SyncthingEndpoint Locate(EndpointRequest request, string home)
    {
        if (request.SyncthingHome is not null && request.ApiKeyFile is not null)
        {
            throw new ThopterException(ErrorKind.BadInput, "--syncthing-home and --api-key-file both name the API key", "pass one of them");
        }

        if (request.ApiKeyFile is not null)
        {
            var address = request.ApiUrl is null ? SyncthingRestClient.DefaultAddress : ParseUrl(request.ApiUrl);
            return new SyncthingEndpoint(address, ReadKeyFile(request.ApiKeyFile), $"--api-key-file {request.ApiKeyFile}");
        }

        var configPath = request.SyncthingHome is not null
            ? Path.Combine(request.SyncthingHome, "config.xml")
            : DefaultHomes(home).Select(dir => Path.Combine(dir, "config.xml")).FirstOrDefault(File.Exists);
        if (configPath is null)
        {
            throw new ThopterException(
                ErrorKind.SyncthingUnreachable,
                $"cannot find SyncThing's config.xml (looked in {string.Join(", ", DefaultHomes(home))})",
                $"{StartHint}; or pass --syncthing-home DIR, or --api-url URL --api-key-file FILE");
        }

        if (!File.Exists(configPath))
        {
            throw new ThopterException(ErrorKind.BadInput, $"{configPath} does not exist", "pass the directory that holds SyncThing's config.xml as --syncthing-home");
        }

        var (guiAddress, key) = ReadGui(configPath);
        var fromConfig = request.ApiUrl is null ? guiAddress : ParseUrl(request.ApiUrl);
        return new SyncthingEndpoint(fromConfig, key, configPath);
    }

    private static (Uri Address, SyncthingApiKey Key) ReadGui(string configPath)
    {
        SyncthingConfigDocument document;
        try
        {
            document = SyncthingConfigDocument.Load(configPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ThopterException(ErrorKind.ConfigCorrupt, $"cannot read {configPath}: {error.Message}", "check that the file belongs to you and is readable", error);
        }
        catch (ConfigXmlException error)
        {
            throw new ThopterException(ErrorKind.ConfigCorrupt, $"{configPath} is not a SyncThing config: {error.Message}", "point --syncthing-home at the directory SyncThing really uses (the one it prints at start)", error);
        }

        RefuseOpenToOthers(configPath);
        var gui = document.Gui;
        if (gui is null || string.IsNullOrWhiteSpace(gui.ApiKey))
        {
            throw new ThopterException(
                ErrorKind.SyncthingUnauthorized,
                $"{configPath} has no REST API key",
                "set one in SyncThing's GUI (Actions > Settings > General > API Key > Generate) and save, then run this again");
        }

        return (GuiAddressToUrl(gui.Address, gui.Tls, configPath), new SyncthingApiKey(gui.ApiKey));
    }

    /// <summary>
    /// config.xml's &lt;gui&gt;&lt;address&gt; as a URL we can call: wildcard listen addresses become
    /// loopback, since thopter only ever talks to the laptop's own SyncThing.
    /// </summary>
    public static Uri GuiAddressToUrl(string address, bool tls, string source)
    {
        if (tls)
        {
            throw new ThopterException(
                ErrorKind.SyncthingError,
                $"SyncThing's GUI in {source} uses HTTPS (tls=\"true\"); thopter talks to it over plain HTTP on 127.0.0.1 only",
                "turn off \"Use HTTPS for GUI\" in SyncThing's settings (the GUI listens on 127.0.0.1, so nothing leaves the machine)");
        }

        if (address.Length == 0 || address.StartsWith('/') || address.StartsWith("unix", StringComparison.Ordinal))
        {
            throw new ThopterException(
                ErrorKind.SyncthingError,
                $"SyncThing's GUI address in {source} is \"{address}\", not a host:port thopter can call",
                "set the GUI listen address to 127.0.0.1:8384 in SyncThing's settings, or pass --api-url");
        }

        var hostPort = address.Replace("0.0.0.0:", "127.0.0.1:", StringComparison.Ordinal).Replace("[::]:", "[::1]:", StringComparison.Ordinal);
        if (hostPort.StartsWith(':'))
        {
            hostPort = "127.0.0.1" + hostPort;
        }

        return Uri.TryCreate($"http://{hostPort}/", UriKind.Absolute, out var url)
            ? url
            : throw new ThopterException(ErrorKind.SyncthingError, $"SyncThing's GUI address in {source} (\"{address}\") is not host:port", "fix <gui><address> in config.xml or pass --api-url");
    }

    public static Uri ParseUrl(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.IsLoopback)
        {
            return url;
        }

        throw new ThopterException(
            ErrorKind.BadInput,
            $"--api-url \"{text}\" is not an http URL on this machine",
            "use the laptop SyncThing's own address, e.g. http://127.0.0.1:8384 (the API key must never leave the machine)");
    }

    private static SyncthingApiKey ReadKeyFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ThopterException(ErrorKind.BadInput, $"cannot read the API key file {path}: {error.Message}", "pass a readable file that holds only the API key", error);
        }

        RefuseOpenToOthers(path);

        try
        {
            return new SyncthingApiKey(text);
        }
        catch (ArgumentException)
        {
            throw new ThopterException(ErrorKind.BadInput, $"{path} does not hold an API key (empty, or several words)", "put only the key (from SyncThing's config.xml <gui><apikey>) in the file");
        }
    }

    private static void RefuseOpenToOthers(string path)
    {
        if (SecretFileAccess.Problem(path) is { } problem)
        {
            throw new ThopterException(ErrorKind.InsecureFile, problem.Reason, problem.Fix);
        }
    }
}
