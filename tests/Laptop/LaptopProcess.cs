using System.Diagnostics;
using Thopter.Laptop.Cli;

namespace Thopter.Tests.Laptop;

/// <summary>
/// The laptop CLI as its own process (`dotnet thopter.dll ...`), for what only a real process shows: signals,
/// a file system that fails underneath it, its exit code as a shell sees it.
/// </summary>
public static class LaptopProcess
{
    public static string Dll => typeof(ThopterCli).Assembly.Location;

    /// <summary>`dotnet thopter.dll` followed by <paramref name="args"/>, as an argv.</summary>
    public static IReadOnlyList<string> Command(params string[] args) => ["dotnet", Dll, .. args];

    public static ProcessStartInfo StartInfo(string home, IReadOnlyList<string> argv)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }
}
