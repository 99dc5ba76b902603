using System.Text.Json.Serialization;

namespace Thopter.Shared.ThopterConfig;

[JsonSerializable(typeof(string))]
internal sealed partial class ThopterJsonContext : JsonSerializerContext;
