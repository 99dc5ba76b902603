using System.Globalization;

namespace Thopter.Tests.Harness.Docker;

/// <summary>The laptop daemon's children that carry a container's tunnels: `docker exec -i ... CONTAINER .../thopter-agent tunnel`, found in /proc.</summary>
public static class TunnelTransports
{
    public static List<int> Of(string container) =>
    [
        .. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsDigit))
            .Select(name => (Pid: int.Parse(name!, CultureInfo.InvariantCulture), Args: CommandLine(name!)))
            .Where(p => p.Args.Length > 3 && p.Args[0] == "docker" && p.Args.Contains(container) && Path.GetFileName(p.Args[^2]) == "thopter-agent" && p.Args[^1] == "tunnel")
            .Select(p => p.Pid),
    ];

    private static string[] CommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
