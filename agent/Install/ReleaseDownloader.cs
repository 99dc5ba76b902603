using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Thopter.Agent.Install;

/// <summary>
/// Downloads over HTTP with retries and exponential backoff. An attempt that ends early (Content-Length not reached,
/// connection dropped) or stalls (no headers or no bytes for <see cref="DownloadOptions.StallTimeout"/>) is thrown away
/// and retried; its bytes are never used. 404 fails at once: another attempt cannot help.
/// </summary>
public sealed class ReleaseDownloader(HttpClient http, DownloadOptions options, TimeProvider time, ILogger logger, DownloadProgress? progress)
{
    private const int BufferSize = 81920;

    public async Task<byte[]> DownloadBytesAsync(Uri uri, long maxBytes, CancellationToken cancellationToken)
    {
        return await WithRetriesAsync(uri, async ct =>
        {
            using var memory = new MemoryStream();
            await AttemptAsync(uri, memory, maxBytes, null, ct).ConfigureAwait(false);
            return memory.ToArray();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads into <paramref name="path"/> (created 0600, replaced on each attempt); returns the SHA-256 of the complete file.</summary>
    public async Task<byte[]> DownloadFileAsync(Uri uri, string path, long maxBytes, CancellationToken cancellationToken)
    {
        return await WithRetriesAsync(uri, async ct =>
        {
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var file = new FileStream(path, fileOptions);
            await using (file.ConfigureAwait(false))
            {
                await AttemptAsync(uri, file, maxBytes, hash, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
            }

            return hash.GetHashAndReset();
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WithRetriesAsync<T>(Uri uri, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                logger.LogDebug("GET {Uri} (attempt {Attempt}/{Max})", uri, number, options.MaxAttempts);
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (DownloadFailure failure) when (!cancellationToken.IsCancellationRequested)
            {
                if (!failure.Retryable || number >= options.MaxAttempts)
                {
                    throw failure.ToAgentException(uri, number);
                }

                var delay = options.BackoffBefore(number + 1);
                logger.LogWarning("{Uri}: {Reason}; retrying in {Delay} ms", uri, failure.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AttemptAsync(Uri uri, Stream destination, long maxBytes, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await WithinStallLimitAsync(
            ct => http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct),
            () => new DownloadFailure(DownloadFailureKind.Stalled, $"no response within {options.StallTimeout.TotalSeconds:0.###} s"),
            ClassifyRequestError,
            cancellationToken).ConfigureAwait(false);

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new DownloadFailure(DownloadFailureKind.NotFound, $"HTTP {(int)response.StatusCode}", response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new DownloadFailure(DownloadFailureKind.HttpError, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
        }

        var expected = response.Content.Headers.ContentLength;
        if (expected > maxBytes)
        {
            throw new DownloadFailure(DownloadFailureKind.TooLarge, $"{expected} bytes is more than the {maxBytes} allowed");
        }

        var body = await WithinStallLimitAsync(
            ct => response.Content.ReadAsStreamAsync(ct),
            () => new DownloadFailure(DownloadFailureKind.Stalled, "the body did not start"),
            ex => new DownloadFailure(DownloadFailureKind.Truncated, Describe(ex), inner: ex),
            cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            long received = 0;
            progress?.Start(uri, expected);
            while (true)
            {
                var read = await WithinStallLimitAsync(
                    ct => body.ReadAsync(buffer, ct).AsTask(),
                    () => new DownloadFailure(DownloadFailureKind.Stalled, $"stalled at {received} bytes: nothing for {options.StallTimeout.TotalSeconds:0.###} s"),
                    ex => new DownloadFailure(DownloadFailureKind.Truncated, $"connection broke after {received} bytes: {Describe(ex)}", inner: ex),
                    cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                received += read;
                if (received > maxBytes)
                {
                    throw new DownloadFailure(DownloadFailureKind.TooLarge, $"more than the {maxBytes} bytes allowed");
                }

                hash?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                progress?.Advance(received);
            }

            progress?.Finish();
            if (expected is not null && received != expected)
            {
                throw new DownloadFailure(DownloadFailureKind.Truncated, $"got {received} of {expected} bytes");
            }
        }
    }

    /// <summary>
    /// Could not connect at all (DNS, refused, TLS): the mirror is unreachable. Anything else while waiting for the response
    /// (the server closed the connection, a malformed response) means the download broke off: retried as incomplete.
    /// </summary>
    private static DownloadFailure ClassifyRequestError(Exception error)
    {
        var unreachable = error is HttpRequestException
        {
            HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or
                HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
        };
        return new DownloadFailure(unreachable ? DownloadFailureKind.Unreachable : DownloadFailureKind.Truncated, Describe(error), inner: error);
    }

    /// <summary>
    /// The innermost message (the OS's words, e.g. "Connection refused"), with the HTTP error kind: the AOT build trims
    /// the framework's own exception texts to resource keys, which tell a user nothing.
    /// </summary>
    private static string Describe(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var kind = error is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http ? $"{http.HttpRequestError}: " : string.Empty;
        return kind + innermost.Message;
    }

    /// <summary>
    /// Runs one network step with the stall limit; network errors become <see cref="DownloadFailure"/>s.
    /// Write errors (disk full) are not network errors and are never routed through here.
    /// </summary>
    private async Task<T> WithinStallLimitAsync<T>(
        Func<CancellationToken, Task<T>> step,
        Func<DownloadFailure> stalled,
        Func<Exception, DownloadFailure> broken,
        CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var task = step(abandon.Token);
        try
        {
            return await task.WaitAsync(options.StallTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw stalled();
        }
        catch (Exception error) when (error is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw broken(error);
        }
    }
}
