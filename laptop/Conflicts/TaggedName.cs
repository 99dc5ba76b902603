namespace Thopter.Laptop.Conflicts;

/// <summary>name.ext -> name.TAG.ext, the way SyncThing tags its conflict copies (and we tag restored and stored versions).</summary>
public static class TaggedName
{
    public static string Of(string path, string tag)
    {
        var extension = Path.GetExtension(path);
        return $"{path[..^extension.Length]}.{tag}{extension}";
    }
}
