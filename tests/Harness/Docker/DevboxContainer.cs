using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Thopter.Tests.Harness.Docker;

/// <summary>How a devbox container is created through Testcontainers: host network (or none), run labels, and either systemd as PID 1 or docker-init.</summary>
public static class DevboxContainer
{
    public const string SystemdInit = "/lib/systemd/systemd";

    /// <summary>A not-yet-started Testcontainers container for <paramref name="options"/>.</summary>
    public static IContainer Build(DevboxOptions options, string name, string hostname, IReadOnlyDictionary<string, string> labels) =>
        new ContainerBuilder(options.Image)
            .WithName(name)
            .WithHostname(hostname)
            .WithLabel(labels)
            .WithCreateParameterModifier(parameters => Configure(parameters, options))
            // Its per-container progress lines would drown the test output; failures still surface as exceptions.
            .WithLogger(NullLogger.Instance)
            .Build();

    /// <summary>The create parameters Testcontainers has no builder method for; with systemd these are ENVIRONMENT.md's PID-1 flags.</summary>
    public static void Configure(CreateContainerParameters parameters, DevboxOptions options)
    {
        var host = parameters.HostConfig ??= new HostConfig();
        host.NetworkMode = options.NetworkMode;
        host.Tmpfs = new Dictionary<string, string>(host.Tmpfs ?? new Dictionary<string, string>()) { ["/run"] = string.Empty };
        if (options.BootSystemd)
        {
            host.CapAdd = [.. host.CapAdd ?? [], "SYS_ADMIN"];
            host.SecurityOpt = [.. host.SecurityOpt ?? [], "seccomp=unconfined", "apparmor=unconfined"];
            host.CgroupnsMode = "private";
            host.Tmpfs["/run/lock"] = string.Empty;
            // systemd prints its boot status only to a terminal; plain text keeps the container log readable.
            parameters.Tty = true;
            parameters.Env = [.. parameters.Env ?? [], "container=docker", "SYSTEMD_COLORS=0"];
            parameters.Cmd = [SystemdInit];
        }
        else
        {
            // docker-init as PID 1 forwards signals and reaps children, so stop is prompt and nothing systemd-like runs.
            host.Init = true;
            parameters.Cmd = ["sleep", "infinity"];
        }
    }
}
