using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// One command in a running container through the Engine API, as any user (Testcontainers' own
/// ExecAsync runs as the image's user only). Output is read to the end, then the exit code.
/// </summary>
internal static class DockerExec
{
    public static async Task<ExecResult> RunAsync(IDockerClient client, string containerId, string user, IReadOnlyList<string> command, IReadOnlyList<string> environment, ExecOptions options, string description, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        try
        {
            var created = await client.Exec.CreateContainerExecAsync(
                containerId,
                new ContainerExecCreateParameters
                {
                    User = user,
                    Cmd = [.. command],
                    Env = [.. environment],
                    WorkingDir = options.WorkingDirectory ?? string.Empty,
                    AttachStdin = options.StandardInput is not null,
                    AttachStdout = true,
                    AttachStderr = true,
                },
                deadline.Token);
            using var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters(), deadline.Token);
            if (options.StandardInput is not null)
            {
                var input = Encoding.UTF8.GetBytes(options.StandardInput);
                await stream.WriteAsync(input, 0, input.Length, deadline.Token);
                stream.CloseWrite();
            }

            var (stdout, stderr) = await stream.ReadOutputToEndAsync(deadline.Token);
            return new ExecResult(await ExitCodeAsync(client, created.ID, deadline.Token), stdout, stderr, description);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"`{description}` did not finish within {options.Timeout.TotalSeconds:0.###} s");
        }
    }

    // The output ends when the process closes it, which can be a moment before the engine records the exit.
    private static async Task<int> ExitCodeAsync(IDockerClient client, string execId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var inspected = await client.Exec.InspectContainerExecAsync(execId, cancellationToken);
            if (!inspected.Running)
            {
                return (int)(inspected.ExitCode ?? -1);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
