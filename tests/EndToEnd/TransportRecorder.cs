using System.Collections.Concurrent;
using Thopter.Shared.Processes;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// Sees what crosses a devbox's transport: every process the laptop starts goes to the real <see cref="ProcessRunner"/>
/// (real docker exec, real devbox), and this records its argv and the bytes written to its stdin. With
/// <see cref="FlipByteAt"/> set, the byte at that offset of a stdin stream is changed on its way: a stand-in for a link
/// that corrupts data in transit, since neither docker exec nor ssh can be made to do that on demand here.
/// </summary>
public sealed class TransportRecorder : IProcessRunner
{
    private readonly ProcessRunner inner = new();

    public ConcurrentQueue<(ProcessSpec Spec, long StdinBytes, TimeSpan Elapsed)> Runs { get; } = new();

    public long? FlipByteAt { get; set; }

    public long StdinBytes => Runs.Sum(r => r.StdinBytes);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        long written = 0;
        var flip = FlipByteAt;
        var observed = spec.InputWriter is not { } writer ? spec : spec with
        {
            InputWriter = async (stdin, ct) =>
            {
                await using var counting = new CountingStream(stdin, flip);
                await writer(counting, ct);
                written = counting.Written;
            },
        };
        var result = await inner.RunAsync(observed, cancellationToken);
        Runs.Enqueue((spec, written, result.Elapsed));
        return result;
    }

    private sealed class CountingStream(Stream target, long? flipAt) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var bytes = buffer;
            if (flipAt is { } at && at >= Written && at < Written + buffer.Length)
            {
                var copy = buffer.ToArray();
                copy[at - Written] ^= 0x01;
                bytes = copy;
            }

            await target.WriteAsync(bytes, cancellationToken);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => target.FlushAsync(cancellationToken);

        public override void Flush() => target.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
