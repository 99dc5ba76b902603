using System.Text.Json.Nodes;

namespace Thopter.Laptop.Doctor;

public enum CheckOutcome
{
    Ok,
    Warn,
    Fail,
    Skipped,
}

/// <summary>One link `thopter sync doctor` checked: what, how it went, and the fix when it did not go well.</summary>
public sealed record DoctorCheck(string Name, CheckOutcome Outcome, string Detail, string? Fix = null)
{
    public static DoctorCheck Ok(string name, string detail) => new(name, CheckOutcome.Ok, detail);

    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, CheckOutcome.Fail, detail, fix);

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["outcome"] = Outcome.ToString().ToLowerInvariant(),
        ["detail"] = Detail,
        ["fix"] = Fix,
    };
}
