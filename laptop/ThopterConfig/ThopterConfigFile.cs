using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thopter.Shared.IO;

namespace Thopter.Laptop.ThopterConfig;

/// <summary>
/// ~/.thopter.json, shared with other thopter tools: this class owns only its <c>syncthing</c> key.
/// Saving splices the new value into the original text, so every other key keeps its exact bytes
/// (formatting, escapes, number spelling). Writes are atomic, mode 0600, with a .bak of the old file.
/// An empty or missing file reads as no settings.
/// </summary>
public sealed class ThopterConfigFile(string path)
{
    public const string FileName = ".thopter.json";
    public const string SectionKey = "syncthing";

    /// <summary>How long init and clear wait for a pair or unpair that holds the settings' lock.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Settings are a few KiB; anything near this is the wrong file (--config /dev/zero).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private const string Fix = "fix the JSON by hand (or restore {0}.bak); thopter changes nothing until the file parses";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public static string DefaultPath(string home) => System.IO.Path.Combine(home, FileName);

    /// <summary>The <c>syncthing</c> settings; empty when the file or the key does not exist.</summary>
    public SyncSection Load() => SyncSectionFrom(Parse(ReadBytes()));

    /// <summary>Writes <paramref name="section"/> as the <c>syncthing</c> key. Returns false when the file already held exactly that.</summary>
    public bool Save(SyncSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var original = ReadBytes();
        var root = Parse(original);
        SyncSectionFrom(root);
        var value = Render(SyncSectionJson.Write(section));
        var updated = JsonSplice.SetTopLevel(original, SectionKey, value);
        return AtomicFile.Write(Path, updated, AtomicFile.PrivateMode);
    }

    /// <summary>
    /// Holds the settings' lock file (<c>~/.thopter.json.lock</c>) until disposed. Commands that
    /// read, change SyncThing and save (pair, unpair) hold it across all three, so devboxes paired
    /// concurrently (`thopter create` for several agents at once) never lose each other's entries
    /// or folder shares. The lock is the kernel's (flock via FileShare.None), so a crashed holder
    /// releases it.
    /// </summary>
    public Task<IDisposable> LockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        return FileLock.AcquireAsync(Path + ".lock", $"the lock on {Path} (another thopter command is changing it)", timeout, cancellationToken);
    }

    /// <summary>Removes the <c>syncthing</c> key, keeping the rest. Returns false when there was nothing to remove.</summary>
    public bool Clear()
    {
        var original = ReadBytes();
        var root = Parse(original);
        SyncSectionFrom(root);
        if (root is null || !root.ContainsKey(SectionKey))
        {
            return false;
        }

        return AtomicFile.Write(Path, JsonSplice.RemoveTopLevel(original, SectionKey), AtomicFile.PrivateMode);
    }

    /// <summary>
    /// Proves a save will succeed (the directory is writable and has room) by writing and removing a scratch file
    /// beside the settings. Commands call it before they change SyncThing, so a failure leaves SyncThing and
    /// ~/.thopter.json agreeing with each other.
    /// </summary>
    public void EnsureWritable()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var scratch = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var size = (File.Exists(Path) ? new FileInfo(Path).Length : 0) + 64 * 1024;
        try
        {
            using var stream = new FileStream(scratch, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = AtomicFile.PrivateMode });
            stream.Write(new byte[size]);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private byte[] ReadBytes()
    {
        try
        {
            return File.Exists(Path) ? ReadBounded() : [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ThopterConfigException(
                $"cannot read {Path}: {error.Message}",
                $"check that {Path} is a readable file owned by you",
                Path,
                error);
        }
    }

    private byte[] ReadBounded()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ThopterConfigException(
                    $"{Path} is larger than {MaxBytes / (1024 * 1024)} MiB, so it is not thopter's settings file",
                    "point --config at the settings file (default ~/.thopter.json)",
                    Path);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private JsonObject? Parse(byte[] bytes)
    {
        var text = JsonSplice.WithoutBom(bytes);
        if (text.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException error)
        {
            var where = error.LineNumber is { } line ? $" at line {line + 1}, position {(error.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new ThopterConfigException($"{Path} is not valid JSON{where}", string.Format(System.Globalization.CultureInfo.InvariantCulture, Fix, Path), Path, error);
        }

        if (node is not JsonObject root)
        {
            throw new ThopterConfigException($"{Path} must hold a JSON object at the top", string.Format(System.Globalization.CultureInfo.InvariantCulture, Fix, Path), Path);
        }

        try
        {
            // JsonObject reports duplicate keys lazily; touch them now so a duplicate fails here, before any write.
            _ = root.Count;
        }
        catch (ArgumentException error)
        {
            throw new ThopterConfigException($"{Path} has a duplicate key ({error.Message})", string.Format(System.Globalization.CultureInfo.InvariantCulture, Fix, Path), Path, error);
        }

        return root;
    }

    private SyncSection SyncSectionFrom(JsonObject? root)
    {
        try
        {
            return SyncSectionJson.Read(root?[SectionKey]);
        }
        catch (InvalidTypeException error)
        {
            throw new ThopterConfigException(
                $"{Path}: {error.Message}",
                $"correct {error.JsonPath} by hand, or run `thopter sync clear` to drop the syncthing settings (other keys stay)",
                Path,
                error);
        }
    }

    // Indented like the rest of a pretty-printed file: nested one level under the top object.
    private static byte[] Render(JsonObject value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray()).Replace("\n", "\n  ", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }
}
