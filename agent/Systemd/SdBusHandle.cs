using System.Runtime.InteropServices;

namespace Thopter.Agent.Systemd;

/// <summary>Owns one sd_bus reference; flushes and closes it exactly once.</summary>
internal sealed class SdBusHandle : SafeHandle
{
    public SdBusHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    public static SdBusHandle Wrap(nint bus)
    {
        var wrapped = new SdBusHandle();
        wrapped.SetHandle(bus);
        return wrapped;
    }

    protected override bool ReleaseHandle()
    {
        SdBus.sd_bus_flush_close_unref(handle);
        return true;
    }
}
