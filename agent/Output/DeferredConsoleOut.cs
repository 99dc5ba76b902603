using System.Text;

namespace Thopter.Agent.Output;

/// <summary>
/// Console.Out, opened on first write. Opening it dup()s fd 1, and a dup keeps stdout's pipe open: `tunnel` re-points
/// fd 1 to tell the laptop that SyncThing's side has ended, which only works while no such copy exists.
/// </summary>
internal sealed class DeferredConsoleOut : TextWriter
{
    private readonly Lazy<TextWriter> console = new(() => Console.Out);

    public override Encoding Encoding => console.Value.Encoding;

    public override void Write(char value) => console.Value.Write(value);

    public override void Write(char[] buffer, int index, int count) => console.Value.Write(buffer, index, count);

    public override void Write(string? value) => console.Value.Write(value);

    public override void WriteLine(string? value) => console.Value.WriteLine(value);

    public override void Flush()
    {
        if (console.IsValueCreated)
        {
            console.Value.Flush();
        }
    }
}
