using System.Text.Json.Serialization;
using Thopter.Agent.Install;
using Thopter.Agent.Setup;
using Thopter.Shared.Contracts;

namespace Thopter.Agent.Output;

/// <summary>
/// The serializer for the agent's own stdout documents (those no laptop reads; setup, status and errors are
/// shared/Contracts' <see cref="ContractJsonContext"/>): source-generated, so NativeAOT needs no reflection.
/// </summary>
[JsonSerializable(typeof(InstallResult))]
[JsonSerializable(typeof(PrepareSnapshotResult))]
[JsonSerializable(typeof(ResetIdentityResult))]
[JsonSerializable(typeof(UninstallResult))]
[JsonSerializable(typeof(GuardIdentityResult))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
    /// <summary>Written exactly like the shared documents.</summary>
    public static AgentJsonContext Output { get; } = new(ContractJsonContext.WireOptions());
}
