using System.Security.Cryptography;
using System.Text;

namespace Thopter.Agent.Setup;

/// <summary>
/// Which machine instance this disk is running on. A snapshot clone keeps the disk (and so the
/// identity and /etc/machine-id) but gets its own hostname, so machine-id + hostname tells clones
/// apart while a stop/start or reboot (new boot id, same hostname) stays the same instance.
/// </summary>
public static class InstanceId
{
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="id"/> is usable as an --instance-id, else why not.</summary>
    public static string? Problem(string id)
    {
        if (id.Length is 0 or > MaxLength)
        {
            return $"it must be 1..{MaxLength} characters";
        }

        return id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? null
            : "only letters, digits, '-', '_', '.' and ':' are allowed";
    }

    /// <summary>A stable digest: no raw machine-id (a secret-ish value per systemd's docs) ends up in files or output.</summary>
    public static string Derive(string machineId, string hostname)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{machineId.Trim()}\n{hostname.Trim()}"));
        return "mh-" + Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }

    /// <summary>From /etc/machine-id and the kernel's hostname (the full one, not Environment.MachineName's short form).</summary>
    public static string FromPlatform(string machineIdPath = "/etc/machine-id", string hostnamePath = "/proc/sys/kernel/hostname")
    {
        return Derive(ReadOrEmpty(machineIdPath), Hostname(hostnamePath));
    }

    /// <summary>The kernel's full hostname (Environment.MachineName only when it cannot be read).</summary>
    public static string Hostname(string hostnamePath = "/proc/sys/kernel/hostname")
    {
        var hostname = ReadOrEmpty(hostnamePath);
        return hostname.Length > 0 ? hostname : Environment.MachineName;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
