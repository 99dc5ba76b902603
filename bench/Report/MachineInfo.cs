namespace Thopter.Bench.Report;

/// <summary>The machine a run was measured on, for the report's header.</summary>
public sealed record MachineInfo(int Cores, string Memory, string Kernel, string Date)
{
    public static MachineInfo Current()
    {
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return new MachineInfo(
            Environment.ProcessorCount,
            $"{long.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB",
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString() => $"{Cores} cores, {Memory} RAM, Linux {Kernel}, measured {Date}";
}
