using System.Text.RegularExpressions;
using Thopter.Agent;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Commands;

/// <summary>
/// The real AOT agent on failures that used to print a stack trace, a .NET resource key instead of words
/// (UseSystemResourceKeys strips the texts), or plain text outside the exit-code table (`run`).
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class AgentOneLineErrorTests : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    // What a stripped resource string looks like: UnauthorizedAccess_IODenied_Path, Cryptography_X509_NoPemCertificate.
    [GeneratedRegex("[A-Z][A-Za-z0-9]+_[A-Za-z0-9_]+")]
    private static partial Regex ResourceKey();

    private static void AssertWords(AgentBinary.Result result)
    {
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(ResourceKey().IsMatch(result.Output + result.Error), $"a resource key instead of words:\n{result.Output}\n{result.Error}");
    }

    [Fact]
    public async Task Reset_identity_in_proc_is_a_file_error_in_words_without_a_stack_trace()
    {
        var result = await AgentBinary.RunAsync(home.Path, "reset-identity", "--home", "/proc");

        result.AssertError(ExitCodes.PermissionDenied);
        AssertWords(result);
    }

    [Fact]
    public async Task A_certificate_that_is_not_pem_is_reported_in_words()
    {
        var st = Directory.CreateDirectory(home.Combine("st")).FullName;
        File.WriteAllText(Path.Combine(st, "cert.pem"), "not a certificate");
        File.WriteAllText(Path.Combine(st, "key.pem"), "not a key");

        var result = await AgentBinary.RunAsync(home.Path, "device-id", "--home", st);

        Assert.Equal(ExitCodes.IdentityInvalid.Value, result.ExitCode);
        AssertWords(result);
    }

    [Fact]
    public async Task Run_reports_bad_arguments_and_a_missing_syncthing_as_json_errors_from_the_table()
    {
        var relative = await AgentBinary.RunAsync(home.Path, "run", "--syncthing", "syncthing", "--home", home.Combine("st"));
        var missing = await AgentBinary.RunAsync(home.Path, "run", "--syncthing", home.Combine("no-syncthing"), "--home", home.Combine("st"));

        relative.AssertError(ExitCodes.Usage);
        missing.AssertError(ExitCodes.SyncthingNotStartable);
        Assert.Contains(home.Combine("no-syncthing"), missing.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
