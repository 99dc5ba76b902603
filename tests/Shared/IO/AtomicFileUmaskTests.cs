using Xunit;
using System.Runtime.InteropServices;
using Thopter.Shared.IO;

namespace Thopter.Tests.Shared.IO;

/// <summary>The umask is process-wide, so these run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(ProcessUmask), DisableParallelization = true)]
public sealed class ProcessUmask;

[Collection(nameof(ProcessUmask))]
public sealed class AtomicFileUmaskTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Public_mode_is_exact_even_under_a_strict_umask()
    {
        // umask 077 narrows a create mode of 0644 to 0600; the writer must set the mode itself.
        var path = dir.Combine("public.txt");
        var previous = SetUmask(Convert.ToInt32("077", 8));
        try
        {
            AtomicFile.WriteText(path, "x", AtomicFile.PublicMode);
        }
        finally
        {
            SetUmask(previous);
        }

        Assert.Equal(AtomicFile.PublicMode, File.GetUnixFileMode(path));
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern int SetUmask(int mask);
}
