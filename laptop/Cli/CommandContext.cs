using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Thopter.Shared.Logging;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Cli;

/// <summary>Everything one command invocation needs: output, settings file, environment, logger.</summary>
public sealed class CommandContext
{
    private static readonly JsonWriterOptions JsonWriting = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public CommandContext(ParseResult parse, GlobalOptions options, CliEnvironment environment)
    {
        Parse = parse;
        Environment = environment;
        Json = parse.GetValue(options.Json);
        Output = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
        var configPath = parse.GetValue(options.Config);
        ConfigFile = new ThopterConfigFile(string.IsNullOrEmpty(configPath)
            ? ThopterConfigFile.DefaultPath(environment.Home)
            : ExpandHome(configPath));
        Verbose = parse.GetValue(options.Verbose);
        LogFormat = parse.GetValue(options.LogFormat);
        // Warnings by default, everything with --verbose; nothing logged carries the API key.
        Log = ThopterLog.Create(ThopterLog.Level(Verbose, LogEventLevel.Warning), LogFormat, environment.LogSink)
            .ForContext(Constants.SourceContextPropertyName, "thopter");
        Progress = new Progress(Error, environment.InteractiveError && !Json);
    }

    public Progress Progress { get; }

    public ParseResult Parse { get; }

    public CliEnvironment Environment { get; }

    public bool Json { get; }

    public bool Verbose { get; }

    /// <summary>--log-format, for the daemon's own logger.</summary>
    public LogFormat LogFormat { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public ThopterConfigFile ConfigFile { get; }

    public ILogger Log { get; }

    /// <summary>Expands a leading ~ to the (injected) home directory.</summary>
    public string ExpandHome(string path) =>
        path == "~" ? Environment.Home
        : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.Home, path[2..])
        : Path.GetFullPath(path);

    /// <summary>Shows a path under the home directory as ~/..., for human output.</summary>
    public string Pretty(string path)
    {
        var home = Path.TrimEndingDirectorySeparator(Environment.Home);
        return path.StartsWith(home + "/", StringComparison.Ordinal) ? "~" + path[home.Length..] : path;
    }

    /// <summary>Human output (ignored with --json).</summary>
    public void Say(string line)
    {
        if (!Json)
        {
            Output.WriteLine(line);
        }
    }

    /// <summary>A warning on stderr, also with --json (so stdout stays machine-readable).</summary>
    public void Warn(string reason, string fix)
    {
        Error.WriteLine($"warning: {reason}");
        Error.WriteLine($"  fix: {fix}");
    }

    /// <summary>The machine-readable result (only with --json).</summary>
    public void Result(JsonNode result)
    {
        if (Json)
        {
            Output.WriteLine(ToJson(result));
        }
    }

    public static string ToJson(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting))
        {
            node.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
