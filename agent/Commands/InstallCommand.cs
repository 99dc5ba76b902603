using System.CommandLine;
using Thopter.Agent.Install;
using Thopter.Agent.Output;

namespace Thopter.Agent.Commands;

/// <summary><c>install</c>: downloads, verifies and installs a pinned SyncThing release into the user's home (no sudo).</summary>
public sealed class InstallCommand : AgentCommand
{
    private readonly AgentDependencies dependencies;

    private readonly Option<string> version = new("--syncthing-version")
    {
        Description = "SyncThing release to install",
        DefaultValueFactory = _ => SyncthingRelease.DefaultVersion,
    };

    private readonly Option<string> mirror = new("--mirror")
    {
        Description = "base URL laid out like SyncThing's GitHub releases (<mirror>/vX.Y.Z/<archive>)",
        DefaultValueFactory = _ => SyncthingRelease.DefaultMirror,
    };

    private readonly Option<FileInfo?> signingKey = new("--signing-key")
    {
        Description = "PEM file with the ECDSA P-521 public key release.sig must verify against (default: SyncThing's release key)",
    };

    private readonly Option<int?> attempts = new("--download-attempts")
    {
        Description = $"attempts per file before giving up (default {DownloadOptions.Default.MaxAttempts})",
    };

    private readonly Option<double?> stallTimeout = new("--stall-timeout")
    {
        Description = $"seconds without a byte before an attempt counts as stalled (default {DownloadOptions.Default.StallTimeout.TotalSeconds:0})",
    };

    public InstallCommand(AgentDependencies dependencies)
        : base("install", "download, verify and install SyncThing into ~/.local/lib/thopter/syncthing")
    {
        this.dependencies = dependencies;
        Options.Add(version);
        Options.Add(mirror);
        Options.Add(signingKey);
        Options.Add(attempts);
        Options.Add(stallTimeout);
        attempts.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 20)
            {
                result.AddError("--download-attempts must be 1..20");
            }
        });
        stallTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0 or > 3600)
            {
                result.AddError("--stall-timeout must be more than 0 and at most 3600 seconds");
            }
        });
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var release = new SyncthingRelease(
            SyncthingRelease.NormalizeVersion(parse.GetValue(version)!),
            SyncthingRelease.ArchFor(dependencies.Architecture));
        var mirrorUri = SyncthingRelease.ParseMirror(parse.GetValue(mirror)!);
        var (keyPem, keySource) = ReadSigningKey(parse.GetValue(signingKey));

        var download = dependencies.Download with
        {
            MaxAttempts = parse.GetValue(attempts) ?? dependencies.Download.MaxAttempts,
            StallTimeout = parse.GetValue(stallTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : dependencies.Download.StallTimeout,
        };

        using var http = new HttpClient(dependencies.Http, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var logger = context.Logger("install");
        var progress = dependencies.StderrIsTerminal ? new DownloadProgress(context.Error, dependencies.Time) : null;
        var downloader = new ReleaseDownloader(http, download, dependencies.Time, logger, progress);
        var installer = new SyncthingInstaller(
            new InstallLayout(dependencies.UserHome), downloader, dependencies.Processes, download, dependencies.Time, logger);

        var result = await installer.InstallAsync(new InstallRequest(release, mirrorUri, keyPem, keySource), cancellationToken).ConfigureAwait(false);
        JsonOutput.Write(context.Output, result, AgentJsonContext.Output.InstallResult);
        return ExitCodes.Ok.Value;
    }

    internal static (string Pem, string Source) ReadSigningKey(FileInfo? file)
    {
        if (file is null)
        {
            return (SigningKeys.SyncthingRelease, "built-in SyncThing release key");
        }

        try
        {
            return (File.ReadAllText(file.FullName), $"signing key {file.FullName}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AgentException(ExitCodes.SigningKeyInvalid, $"cannot read --signing-key {file.FullName}: {error.Message}", "pass a readable PEM file", error);
        }
    }
}
