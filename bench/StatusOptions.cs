using System.Globalization;

namespace Thopter.Bench;

/// <summary>Command line of `thopter-bench status [--cli BINARY] [--devboxes N] [--trials N]`.</summary>
public sealed record StatusOptions(string? Binary, int Devboxes, int Trials)
{
    public const string Usage = "usage: thopter-bench status [--cli BINARY] [--devboxes 20] [--trials 10]";

    public static StatusOptions Parse(IReadOnlyList<string> args)
    {
        var options = new StatusOptions(null, 20, 10);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--cli" => options with { Binary = Path.GetFullPath(Value(args, ++i)) },
                "--devboxes" => options with { Devboxes = Number(args, ++i) },
                "--trials" => options with { Trials = Number(args, ++i) },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, int i) => i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value\n{Usage}");

    private static int Number(IReadOnlyList<string> args, int i) =>
        int.TryParse(Value(args, i), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} takes a positive number\n{Usage}");
}
