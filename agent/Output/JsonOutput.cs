using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Thopter.Shared.Contracts;

namespace Thopter.Agent.Output;

/// <summary>Writes the one JSON document a command prints on stdout.</summary>
public static class JsonOutput
{
    public static void Write<T>(TextWriter stdout, T value, JsonTypeInfo<T> type)
    {
        stdout.WriteLine(JsonSerializer.Serialize(value, type));
        stdout.Flush();
    }

    public static void WriteError(TextWriter stdout, ExitCode code, string message, string fix) =>
        Write(stdout, new ErrorDocument(new ErrorBody(code.Name, code.Value, message, fix)), ContractJsonContext.Wire.ErrorDocument);
}
