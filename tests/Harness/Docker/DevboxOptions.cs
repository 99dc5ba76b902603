namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// What devbox to start. Immutable: derive variants with the With* methods or `with { }`;
/// <see cref="Validate"/> runs before anything touches Docker.
/// </summary>
public sealed record DevboxOptions
{
    /// <summary>What scripts/build-devbox-image.sh appends to the image tag for the twin in which dev does not linger.</summary>
    public const string NoLingerSuffix = "-nolinger";

    /// <summary>
    /// The image scripts/test.sh built (THOPTER_DEVBOX_IMAGE): its tag is unique to the agent binary, so a run never
    /// uses a tag another checkout's build may re-point. Unset, <see cref="Validate"/> says how to get one.
    /// </summary>
    public string Image { get; init; } = Environment.GetEnvironmentVariable("THOPTER_DEVBOX_IMAGE") ?? string.Empty;

    /// <summary>
    /// True: dev lingers from boot (its user manager and bus are up when the devbox is ready). False: nobody has
    /// enabled lingering yet, so readiness waits for the system manager only; see <see cref="WithoutLinger"/>.
    /// </summary>
    public bool Linger { get; init; } = true;

    /// <summary>True: systemd is PID 1 (a real devbox). False: PID 1 is docker-init running `sleep infinity` (no user manager).</summary>
    public bool BootSystemd { get; init; } = true;

    /// <summary>The container's hostname; null picks a unique one.</summary>
    public string? Hostname { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Docker's network mode: "host" (loopback shared with the test) or "none" (no network at all: `docker exec` is the only way in).</summary>
    public string NetworkMode { get; init; } = "host";

    /// <summary>The ordinary user whose systemd user manager readiness waits for.</summary>
    public string User { get; init; } = "dev";

    /// <summary>Labels added to the run's own (see <see cref="TestRunLabels"/>), e.g. to find one test's containers.</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    public DevboxOptions WithLabel(string key, string value) =>
        this with { ExtraLabels = new Dictionary<string, string>(ExtraLabels) { [key] = value } };

    public DevboxOptions WithImage(string image) => this with { Image = image };

    public DevboxOptions WithHostname(string hostname) => this with { Hostname = hostname };

    public DevboxOptions WithoutSystemd() => this with { BootSystemd = false };

    /// <summary>The twin image without lingering pre-created for dev, as a devbox fresh from its provider may be.</summary>
    public DevboxOptions WithoutLinger() => Linger ? this with { Image = Image + NoLingerSuffix, Linger = false } : this;

    /// <summary>A devbox no connection can reach and that reaches nothing: the honest stand-in for a devbox behind its provider's exec command.</summary>
    public DevboxOptions WithoutNetwork() => this with { NetworkMode = "none" };

    public DevboxOptions WithReadyTimeout(TimeSpan timeout) => this with { ReadyTimeout = timeout };

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Image) || Image == NoLingerSuffix)
        {
            throw new ArgumentException("no devbox image: set THOPTER_DEVBOX_IMAGE to the tag scripts/build-devbox-image.sh prints (scripts/test.sh does this)");
        }

        if (Hostname is not null && (Hostname.Length is 0 or > 63 || !Hostname.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || Hostname[0] == '-'))
        {
            throw new ArgumentException($"'{Hostname}' is not a valid hostname (letters, digits, '-', at most 63)");
        }

        if (ReadyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ReadyTimeout must be positive");
        }

        if (ExtraLabels.Keys.Any(TestRunLabels.Current.All.ContainsKey))
        {
            throw new ArgumentException("ExtraLabels may not override the run's own labels");
        }

        if (NetworkMode is not ("host" or "none"))
        {
            throw new ArgumentException($"NetworkMode '{NetworkMode}' is neither \"host\" nor \"none\"");
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            throw new ArgumentException("User is empty");
        }
    }
}
