using System.Runtime.InteropServices;

namespace Thopter.Agent.Systemd;

/// <summary>The few POSIX calls .NET does not expose: our uid, signals, and re-pointing stdio.</summary>
internal static partial class Libc
{
    public const int SignalTerm = 15;
    public const int SignalKill = 9;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);
}
