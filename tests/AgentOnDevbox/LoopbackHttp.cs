using Thopter.Tests.Harness.Docker;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// HTTP from inside a devbox as any user, with nothing but bash's /dev/tcp (the image has no curl): what another local
/// user can do to a loopback port without reading anyone's files.
/// </summary>
internal static class LoopbackHttp
{
    /// <summary>
    /// GET / (SyncThing hands a CSRF cookie to whoever loads the GUI page), then GET <paramref name="path"/> with that cookie
    /// and its token header plus <paramref name="extraHeader"/>. Returns the second response: status line, headers and body.
    /// </summary>
    public static async Task<string> GetWithCsrfCookieAsync(Devbox devbox, string user, int port, string path, string extraHeader = "")
    {
        var script = $$"""
            set -u
            request() {
              exec 3<>/dev/tcp/127.0.0.1/{{port}} || return 1
              printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:{{port}}\r\n%s\r\n' "$1" "$2" >&3
              cat <&3
              exec 3<&-
            }
            page=$(request / '')
            cookie=$(printf '%s' "$page" | tr -d '\r' | sed -n 's/^Set-Cookie: \(CSRF-Token-[A-Z0-9]*\)=\([^;]*\).*/\1 \2/p' | head -1)
            name=${cookie%% *}; value=${cookie#* }
            headers=""
            if [ -n "$cookie" ]; then printf -v headers 'Cookie: %s=%s\r\nX-%s: %s\r\n' "$name" "$value" "$name" "$value"; fi
            if [ -n '{{extraHeader}}' ]; then printf -v headers '%s%s\r\n' "$headers" '{{extraHeader}}'; fi
            request '{{path}}' "$headers"
            """;
        var result = await devbox.ShellAsync(user, script);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>The status code of an HTTP response's first line ("HTTP/1.0 200 OK" gives 200), 0 when there is none.</summary>
    public static int StatusOf(string response)
    {
        var first = response.Split('\n', 2)[0].Split(' ');
        return first.Length > 1 && first[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(first[1], out var code) ? code : 0;
    }
}
