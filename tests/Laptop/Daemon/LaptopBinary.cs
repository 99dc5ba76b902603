namespace Thopter.Tests.Laptop.Daemon;

/// <summary>The NativeAOT thopter (scripts/publish-laptop.sh), for tests that run it where no .NET runtime is (a devbox acting as a laptop).</summary>
internal static class LaptopBinary
{
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("THOPTER_LAPTOP_BINARY");
            return !string.IsNullOrEmpty(path) && File.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    "THOPTER_LAPTOP_BINARY must name the published thopter: run scripts/publish-laptop.sh and export THOPTER_LAPTOP_BINARY=$PWD/artifacts/laptop/thopter (scripts/test.sh does both)");
        }
    }
}
