using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;
using Thopter.Shared.Contracts;
using Thopter.Shared.Devices;
using Thopter.Shared.Processes;

namespace Thopter.Laptop.Agent;

/// <summary>
/// Runs <c>thopter-agent</c> on a devbox through its transport and reads its one JSON document from stdout.
/// An agent error document (<c>{"error": {code, exitCode, message, fix}}</c>) becomes an "agent error" failure that
/// carries the agent's own reason and fix. The agent is run as <paramref name="path"/>: the one delivery found or installed.
/// </summary>
public sealed class AgentClient(DevboxTransport transport, string path = AgentClient.Binary)
{
    public const string Binary = "thopter-agent";

    public DevboxTransport Transport { get; } = transport;

    /// <summary>The agent's path on the devbox (or its bare name, found on the transport user's PATH).</summary>
    public string Path { get; } = path;

    /// <param name="folderArgs">The folders' words (<c>--folder NAME</c>, <c>--own-folder NAME</c>, <c>--devbox-name DEVBOX</c>).</param>
    public async Task<AgentSetupReport> SetupAsync(DeviceId laptop, IReadOnlyList<string> folderArgs, IReadOnlyList<string> extraArgs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var document = await RunJsonAsync(["setup", "--laptop-device-id", laptop.ToString(), .. folderArgs, .. extraArgs], timeout, cancellationToken).ConfigureAwait(false);
        return AgentSetupReport.From(Read(document, "setup", ContractJsonContext.Wire.SetupResult), Transport.Devbox);
    }

    /// <summary><c>status</c>: its document also when it exits "unhealthy" (status reports problems, it does not fail).</summary>
    public async Task<StatusResult> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var document = await RunJsonAsync(["status"], timeout, cancellationToken, acceptDocumentOnFailure: true).ConfigureAwait(false);
        return Read(document, "status", ContractJsonContext.Wire.StatusResult);
    }

    /// <summary><c>prepare-snapshot</c> with <paramref name="homeArgs"/> (setup's --home, if it had one).</summary>
    public Task<JsonObject> PrepareSnapshotAsync(IReadOnlyList<string> homeArgs, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunJsonAsync(["prepare-snapshot", .. homeArgs], timeout, cancellationToken);

    public Task<JsonObject> UninstallAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        RunJsonAsync(["uninstall"], timeout, cancellationToken);

    public async Task<DeviceId> DeviceIdAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["device-id"], timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ThopterException(ErrorKind.AgentError, $"thopter-agent on \"{Transport.Devbox}\": {DevboxText.FirstLine(result.StandardError) ?? $"exit {result.ExitCode}"}", $"run `thopter sync pair {Transport.Devbox}` to set the devbox up");
        }

        return DeviceId.TryParse(DevboxText.Clean(result.StandardOutput).Trim(), out var id, out var problem)
            ? id
            : throw new ThopterException(ErrorKind.AgentError, $"thopter-agent on \"{Transport.Devbox}\" printed no device ID ({problem})", "update thopter-agent on the devbox");
    }

    private async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await Transport.RunAsync([Path, .. arguments], timeout, cancellationToken).ConfigureAwait(false);

        // 127: the devbox's shell (or docker exec) found no such program.
        if (result.ExitCode == 127 || (result.ExitCode != 0 && result.StandardError.Contains("executable file not found", StringComparison.Ordinal)))
        {
            throw new ThopterException(
                ErrorKind.AgentMissing,
                $"thopter-agent is not installed on devbox \"{Transport.Devbox}\" (`{Transport.Describe} {Path}`: {DevboxText.FirstLine(result.StandardError) ?? "not found"})",
                $"run `thopter sync pair {Transport.Devbox}`, which installs it, or install thopter-agent on the devbox by hand (~/.local/bin or on the PATH of the transport's user)");
        }

        return result;
    }

    private async Task<JsonObject> RunJsonAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, bool acceptDocumentOnFailure = false)
    {
        var result = await RunAsync(arguments, timeout, cancellationToken).ConfigureAwait(false);
        var document = ParseDocument(result.StandardOutput);
        if (document?["error"] is JsonObject)
        {
            var error = Read(document, arguments[0], ContractJsonContext.Wire.ErrorDocument).Error;
            throw new ThopterException(
                ErrorKind.AgentError,
                $"thopter-agent {arguments[0]} on \"{Transport.Devbox}\" failed ({DevboxText.String(error?.Code) ?? "error"}, exit {result.ExitCode}): {DevboxText.String(error?.Message) ?? "no message"}",
                DevboxText.String(error?.Fix) ?? "read the agent's message above");
        }

        if (document is null || (!result.Succeeded && !acceptDocumentOnFailure))
        {
            var detail = DevboxText.FirstLine(result.StandardError) ?? DevboxText.FirstLine(result.StandardOutput) ?? "no output";
            if (result.ExitCode == 255 && Transport.IsSsh)
            {
                throw new ThopterException(ErrorKind.DevboxUnreachable, $"devbox \"{Transport.Devbox}\" unreachable through `{Transport.Describe}` (exit 255: {detail})", $"check that `{Transport.Describe} echo ok` works");
            }

            throw new ThopterException(
                ErrorKind.AgentError,
                $"thopter-agent {arguments[0]} on \"{Transport.Devbox}\" gave no JSON document (exit {result.ExitCode}: {detail})",
                $"run `{Transport.Describe} {Path} {arguments[0]} --verbose` to see what it does; update thopter-agent if it is old");
        }

        return document;
    }

    /// <summary>
    /// The agent's document as the shared contract says. Missing fields read as absent (an agent of another build);
    /// a field of the wrong type makes the document unreadable.
    /// </summary>
    private T Read<T>(JsonObject document, string command, JsonTypeInfo<T> contract)
    {
        try
        {
            return document.Deserialize(contract)
                ?? throw new JsonException("null document");
        }
        catch (JsonException error)
        {
            var what = error.Path == "$.deviceId" ? "reported no valid device ID" : "printed a document this thopter cannot read";
            throw new ThopterException(
                ErrorKind.AgentError,
                $"thopter-agent {command} on \"{Transport.Devbox}\" {what} ({DevboxText.Clean(error.Message)})",
                $"update thopter-agent on the devbox: `thopter sync pair {Transport.Devbox}` installs this laptop's");
        }
    }

    private static JsonObject? ParseDocument(string stdout)
    {
        try
        {
            return JsonNode.Parse(stdout) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
