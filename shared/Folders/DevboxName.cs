namespace Thopter.Shared.Folders;

/// <summary>
/// The name a user gives a paired devbox (a key under syncthing.devboxes and the SyncThing device
/// name): letters, digits, '.', '_', '-'; not starting with '-' or '.'; at most 64 characters.
/// </summary>
public static class DevboxName
{
    public const int MaxLength = 64;

    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        if (name[0] is '-' or '.')
        {
            return "it starts with '-' or '.'";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? null
            : "it may contain only letters, digits, '.', '_' and '-'";
    }

    public static string Validate(string? name)
    {
        var problem = Problem(name);
        return problem is null
            ? name!
            : throw new ArgumentException($"invalid devbox name \"{name}\": {problem}; use a short name such as \"box1\"", nameof(name));
    }
}
