using Xunit;
using Thopter.Agent;
using Thopter.Agent.Commands;

namespace Thopter.Tests.Agent.Commands;

public sealed class ErrorMapperTests
{
    [Fact]
    public void A_real_ENOSPC_write_maps_to_disk_full()
    {
        // /dev/full fails every write with ENOSPC: the exception .NET really throws when a disk fills up.
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var full = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            full.Write(new byte[4096]);
            full.Flush();
        });
        Assert.Equal(ExitCodes.DiskFull, ErrorMapper.Map(error).Code);
    }

    [Fact]
    public void Other_io_errors_are_not_disk_full()
    {
        var error = Assert.ThrowsAny<IOException>(() => File.ReadAllText("/nonexistent/thopter"));
        Assert.NotEqual(ExitCodes.DiskFull, ErrorMapper.Map(error).Code);
    }

    [Fact]
    public void Unexpected_exceptions_are_internal_errors_with_a_fix()
    {
        var mapped = ErrorMapper.Map(new InvalidOperationException("boom"));
        Assert.Equal(ExitCodes.Internal, mapped.Code);
        Assert.Contains("boom", mapped.Message, StringComparison.Ordinal);
        Assert.Contains("--verbose", mapped.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_is_interrupted()
    {
        Assert.Equal(ExitCodes.Interrupted, ErrorMapper.Map(new OperationCanceledException()).Code);
    }
}
