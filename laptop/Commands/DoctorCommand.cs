using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Doctor;

namespace Thopter.Laptop.Commands;

/// <summary>`thopter sync doctor`: check every link and print each failure with its fix; exits checks-failed (14) when any fails.</summary>
public sealed class DoctorCommand() : LaptopCommand("doctor", "Check SyncThing, the folder, every devbox and the kernel limits, with a fix for each problem")
{
    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => RunAsync(context, cancellationToken);

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var checks = await new Doctor.Doctor(context).RunAsync(cancellationToken).ConfigureAwait(false);
        var failed = checks.Count(c => c.Outcome == CheckOutcome.Fail);
        context.Result(new JsonObject
        {
            ["ok"] = failed == 0,
            ["failed"] = failed,
            ["checks"] = new JsonArray([.. checks.Select(c => (JsonNode?)c.ToJson())]),
        });
        foreach (var check in checks)
        {
            var mark = check.Outcome switch
            {
                CheckOutcome.Ok => "ok  ",
                CheckOutcome.Warn => "warn",
                CheckOutcome.Fail => "FAIL",
                _ => "skip",
            };
            context.Say($"{mark}  {check.Name}: {check.Detail}");
            if (check.Fix is not null && check.Outcome is CheckOutcome.Fail or CheckOutcome.Warn)
            {
                context.Say($"      fix: {check.Fix}");
            }
        }

        context.Say(failed == 0 ? "all checks passed" : $"{failed} check{(failed == 1 ? string.Empty : "s")} failed");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.ChecksFailed;
    }
}
