using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Agent;
using Thopter.Agent.Commands;
using Thopter.Agent.Setup;
using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;
using Thopter.Shared.Contracts;
using Thopter.Shared.Devices;
using Thopter.Shared.Processes;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

/// <summary>
/// setup's promise (docs/agent-exit-codes.md): SyncThing is restarted when its binary, config or identity changed, and
/// only then. <see cref="Provisioner"/> runs in-process through <see cref="AgentDependencies"/> with its own machine
/// facts (a machine-id and hostname in temporary files) and a service manager that runs the real SyncThing as the
/// real managers do: started on the first call, restarted when told the config changed. A restart setup skips leaves
/// the old SyncThing serving the old config (it never rereads config.xml by itself), which these tests see.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProvisionerTests : IAsyncLifetime
{
    private static readonly DeviceId Laptop = DeviceId.FromBytes([.. Enumerable.Range(3, 32).Select(i => (byte)i)]);
    private readonly TempDirectory home = new();
    private readonly int listenPort = FreePort.Next();
    private readonly int guiPort = FreePort.Next();
    private RealSyncthingManager manager = null!;

    private SetupPaths Paths => new(home.Path, home.Combine(".local", "state", "syncthing"));

    public Task InitializeAsync()
    {
        File.WriteAllText(home.Combine("machine-id"), "0123456789abcdef0123456789abcdef\n");
        File.WriteAllText(home.Combine("hostname"), "devbox-1\n");
        manager = new RealSyncthingManager(Paths.SyncthingHome);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await manager.DisposeAsync();
        home.Dispose();
    }

    [Fact]
    public async Task A_config_change_restarts_syncthing_which_then_serves_the_new_config()
    {
        await SetupAsync("dynamic");
        var firstPid = manager.Pid;
        var newAddress = $"tcp://127.0.0.1:{FreePort.Next()}";

        var result = await SetupAsync(newAddress);

        Assert.True(result.ConfigChanged);
        Assert.Equal([true, true], manager.ConfigChangedCalls);
        Assert.Equal("restarted", result.Supervisor.Action);
        Assert.NotEqual(firstPid, manager.Pid);
        using var api = Api();
        var laptop = await api.GetDeviceAsync(Laptop.ToString());
        Assert.Equal([newAddress], laptop!.Addresses);
    }

    [Fact]
    public async Task A_new_identity_restarts_syncthing_which_then_answers_with_it()
    {
        var first = await SetupAsync("dynamic");
        // A clone: the same disk on another host.
        File.WriteAllText(home.Combine("hostname"), "devbox-2\n");

        var result = await SetupAsync("dynamic");

        Assert.NotEqual(first.DeviceId, result.DeviceId);
        Assert.Equal([true, true], manager.ConfigChangedCalls);
        using var api = Api();
        Assert.Equal(result.DeviceId, (await api.GetSystemStatusAsync()).MyId);
    }

    [Fact]
    public async Task A_rerun_with_nothing_changed_restarts_nothing()
    {
        await SetupAsync("dynamic");
        var firstPid = manager.Pid;

        var result = await SetupAsync("dynamic");

        Assert.False(result.ConfigChanged);
        Assert.Equal([true, false], manager.ConfigChangedCalls);
        Assert.Equal("already-running", result.Supervisor.Action);
        Assert.Equal(firstPid, manager.Pid);
    }

    [Fact]
    public async Task A_sync_port_held_by_another_program_fails_setup_with_syncthings_reason()
    {
        // A plain listener, as any other program holding the port would be: SyncThing's bind fails, it only logs that.
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, listenPort);
        holder.Start();

        var error = await Assert.ThrowsAsync<AgentException>(() => SetupAsync("dynamic"));

        Assert.Equal(ExitCodes.SyncListenFailed, error.Code);
        Assert.Equal(58, error.Code.Value);
        Assert.Contains($"tcp://127.0.0.1:{listenPort}", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains($"sport = :{listenPort}", error.Fix, StringComparison.Ordinal);
        Assert.Contains("--agent-arg=--listen=", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_folders_are_each_served_with_their_stignore_and_a_rerun_changes_nothing()
    {
        FolderSpec[] folders = [new("code", "code"), new("notes@box1", "notes")];

        var result = await SetupAsync("dynamic", folders);
        var again = await SetupAsync("dynamic", folders);

        Assert.Equal([("code", home.Combine("code")), ("notes@box1", home.Combine("notes"))], result.Folders!.Select(f => (f.Id, f.Path)));
        Assert.Equal(("code", home.Combine("code")), (result.Folder.Id, result.Folder.Path));
        Assert.True(File.Exists(home.Combine("code", ".stignore")));
        Assert.True(File.Exists(home.Combine("notes", ".stignore")));
        Assert.False(again.ConfigChanged);
        using var api = Api();
        foreach (var folder in folders)
        {
            var served = await api.GetFolderAsync(folder.Id);
            Assert.Equal(home.Combine(folder.Name), served!.Path);
            Assert.Contains(Laptop.ToString(), served.Devices!.Select(d => d.DeviceId));
        }
    }

    private async Task<SetupResult> SetupAsync(string laptopAddress, IReadOnlyList<FolderSpec>? folders = null)
    {
        var dependencies = new AgentDependencies(new NoNetworkHandler(), new ProcessRunner(), TimeProvider.System, home.Path, System.Runtime.InteropServices.Architecture.X64)
        {
            Platform = new PlatformFacts(home.Combine("machine-id"), home.Combine("hostname"), "dev", 1000),
            Services = manager,
        };
        var request = new SetupRequest(
            Laptop, folders ?? [new FolderSpec("code", "code")], InstanceId: null, $"tcp://127.0.0.1:{listenPort}", $"127.0.0.1:{guiPort}", laptopAddress, Isolated: true,
            new Uri("http://127.0.0.1:9/"), SigningKeyPem: string.Empty, SigningKeySource: "unused", SyncthingBinary.V1_19,
            Accelerate: false, SyncthingBinary: SyncthingBinary.Default.Path);
        return await new Provisioner(Paths, dependencies, NullLogger.Instance) { ApiTimeout = TimeSpan.FromSeconds(60) }
            .RunAsync(request, new StepTimer(TimeProvider.System), CancellationToken.None);
    }

    private SyncthingRestClient Api() => new(new Uri($"http://127.0.0.1:{guiPort}/"), new SyncthingApiKey(Thopter.Shared.Config.SyncthingConfigDocument.Load(Paths.ConfigPath).Gui!.ApiKey));

    /// <summary>--syncthing-binary needs no download: a request reaching the network fails the test.</summary>
    private sealed class NoNetworkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"setup went to the network: {request.RequestUri}");
    }

    /// <summary>
    /// The service manager these tests give setup: the real SyncThing binary on setup's home, started on the first call
    /// and restarted exactly when setup says its config changed, as <see cref="SystemdServiceManager"/> and
    /// <see cref="FallbackServiceManager"/> do (their own tests pin that). No systemd, no supervisor, no lingering.
    /// </summary>
    private sealed class RealSyncthingManager(string syncthingHome) : IServiceManager, IServiceManagerFactory, IAsyncDisposable
    {
        private SyncthingProcess? process;

        public List<bool> ConfigChangedCalls { get; } = [];

        public int Pid => process?.ProcessId ?? 0;

        public SupervisorKind Supervisor => SupervisorKind.Fallback;

        public Task<LingerResult> EnsureLingeringAsync(PlatformFacts platform, CancellationToken cancellationToken) =>
            Task.FromResult(new LingerResult(platform.UserName, Lingering: true, Changed: false, Problem: null));

        public Task<ServiceManagerChoice> OpenAsync(string userHome, string home, TimeSpan waitForUserBus, CancellationToken cancellationToken) =>
            Task.FromResult(new ServiceManagerChoice(this, fallbackReason: null, connection: null));

        public async Task<ServiceOutcome> EnsureInstalledAndRunningAsync(SyncthingServiceSpec spec, bool configChanged, CancellationToken cancellationToken = default)
        {
            ConfigChangedCalls.Add(configChanged);
            var action = process is null ? ServiceAction.Started : configChanged ? ServiceAction.Restarted : ServiceAction.AlreadyRunning;
            if (action != ServiceAction.AlreadyRunning)
            {
                await StopAsync(cancellationToken);
                process = await SyncthingProcess.StartAsync(SyncthingBinary.Default, syncthingHome, cancellationToken: cancellationToken);
            }

            return new ServiceOutcome(Supervisor, action, DefinitionChanged: false, await GetStatusAsync());
        }

        public async Task StopAsync(CancellationToken cancellationToken = default)
        {
            if (process is not null)
            {
                await process.DisposeAsync();
                process = null;
            }
        }

        public Task RemoveAsync(CancellationToken cancellationToken = default) => StopAsync(cancellationToken);

        public Task<ServiceStatus> GetStatusAsync() =>
            Task.FromResult(new ServiceStatus(Supervisor, Installed: true, Active: process is not null, process is null ? "stopped" : "running", Pid, "test manager"));

        public bool Serves(string home) => home == syncthingHome;

        public bool HasAccelerator() => false;

        public async ValueTask DisposeAsync() => await StopAsync();
    }
}
