using System.Net;
using System.Text;

namespace Thopter.Tests.Shared.Rest;

/// <summary>
/// A hand-written HttpMessageHandler standing in for SyncThing where a real one cannot produce the
/// case (bad JSON, 500s, hangs). Records every request; answers through <see cref="Respond"/>.
/// </summary>
public sealed class FakeSyncthingHandler : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    public Func<HttpRequestMessage, Task<HttpResponseMessage>> Respond { get; set; } =
        _ => Task.FromResult(Json("{}"));

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(string body, HttpStatusCode status) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        request.Headers.TryGetValues("X-API-Key", out var keys);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, keys?.SingleOrDefault(), body));
        return await Respond(request);
    }
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? ApiKey, string? Body)
{
    public string PathAndQuery => Uri.PathAndQuery;
}
