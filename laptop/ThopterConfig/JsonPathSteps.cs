namespace Thopter.Laptop.ThopterConfig;

/// <summary>Splits a System.Text.Json error path ("$.a['b.c'][2]") into its member names and indexes.</summary>
internal static class JsonPathSteps
{
    public static IEnumerable<string> Of(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 2)..end];
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end + 1;
            }
        }
    }
}
