using System.Text.Json.Serialization;
using Thopter.Agent.Install;

namespace Thopter.Agent.Output;

/// <summary>The agent's only JSON serializer: source-generated, so NativeAOT needs no reflection. Add every stdout DTO here.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(InstallResult))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
