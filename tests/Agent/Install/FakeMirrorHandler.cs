using System.Net;
using System.Net.Sockets;

namespace Thopter.Tests.Agent.Install;

/// <summary>
/// Stands in for the release mirror in unit tests (the real HTTP path is covered by the Integration tests against the
/// harness mirror): each path (matched by the end of its path) answers from a script of responses, one per request, the last repeating.
/// </summary>
internal sealed class FakeMirrorHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<Func<HttpResponseMessage>>> scripts = [];
    private readonly Dictionary<string, int> counts = [];

    public int Requests(string pathEnd) => counts.Where(c => c.Key.EndsWith(pathEnd, StringComparison.Ordinal)).Sum(c => c.Value);

    public FakeMirrorHandler Serve(string path, params Func<HttpResponseMessage>[] responses)
    {
        scripts[path] = new Queue<Func<HttpResponseMessage>>(responses);
        return this;
    }

    public static Func<HttpResponseMessage> Ok(byte[] body) => () => new HttpResponseMessage(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent(body),
    };

    public static Func<HttpResponseMessage> Status(HttpStatusCode status) => () => new HttpResponseMessage(status)
    {
        Content = new ByteArrayContent([]),
    };

    /// <summary>Announces the full length but ends after <paramref name="sent"/> bytes, like a dropped connection.</summary>
    public static Func<HttpResponseMessage> Truncated(byte[] body, int sent) => () =>
    {
        var content = new StreamContent(new MemoryStream(body, 0, sent));
        content.Headers.ContentLength = body.Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    };

    /// <summary>Sends <paramref name="sent"/> bytes, then nothing more until the reader gives up.</summary>
    public static Func<HttpResponseMessage> Stalls(byte[] body, int sent) => () =>
    {
        var content = new StreamContent(new StallingStream(body.AsMemory(0, sent)));
        content.Headers.ContentLength = body.Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    };

    public static Func<HttpResponseMessage> Refused() => () => throw new HttpRequestException(
        HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused));

    /// <summary>The server closed the connection before a whole response arrived.</summary>
    public static Func<HttpResponseMessage> Dropped() => () => throw new HttpRequestException(
        HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("connection reset"));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        lock (counts)
        {
            counts[path] = counts.GetValueOrDefault(path) + 1;
        }

        var script = scripts.FirstOrDefault(s => path.EndsWith(s.Key, StringComparison.Ordinal)).Value;
        if (script is null)
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        var next = script.Count > 1 ? script.Dequeue() : script.Peek();
        try
        {
            return Task.FromResult(next());
        }
        catch (HttpRequestException error)
        {
            return Task.FromException<HttpResponseMessage>(error);
        }
    }

    private sealed class StallingStream(ReadOnlyMemory<byte> head) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position < head.Length)
            {
                var count = Math.Min(buffer.Length, head.Length - position);
                head.Slice(position, count).CopyTo(buffer);
                position += count;
                return count;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
