using System.Security.Cryptography;

namespace Thopter.Shared.Config;

/// <summary>
/// The secrets on SyncThing's GUI/REST listener. The API key is how the owner's tools get in (it sits in the 0600
/// config.xml). The lock is a GUI user whose password nobody has: without it SyncThing hands a CSRF cookie to anyone
/// who loads the GUI page, and that cookie alone lets any local user read /rest/config, API key included. The agent
/// writes the lock into the devbox's config.xml; the laptop sets it through the laptop SyncThing's REST API.
/// </summary>
public static class GuiSecrets
{
    public const string LockUser = "thopter";

    private const int ApiKeyLength = 32;
    private const string ApiKeyAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>bcrypt's own base64 alphabet, and its 2a cost-10 prefix (SyncThing accepts any bcrypt hash).</summary>
    private const string BcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string BcryptPrefix = "$2a$10$";
    private const int BcryptSaltAndDigestLength = 22 + 31;

    public static string NewApiKey() => RandomNumberGenerator.GetString(ApiKeyAlphabet, ApiKeyLength);

    public static bool IsUsableApiKey(string key) => key.Length >= 16 && key.All(char.IsAsciiLetterOrDigit);

    /// <summary>
    /// A bcrypt hash whose salt and digest are drawn at random: the hash of a password nobody ever held. SyncThing checks a
    /// login by hashing the offered password with that salt and comparing digests, so no password opens it (finding one
    /// means inverting bcrypt), and unlike hashing a random password and discarding it, no usable password ever exists.
    /// </summary>
    public static string NewLockHash() => BcryptPrefix + RandomNumberGenerator.GetString(BcryptAlphabet, BcryptSaltAndDigestLength);

    /// <summary>A GUI user with a bcrypt password (ours, or one the owner set himself): SyncThing then serves only logins and API-key holders.</summary>
    public static bool IsLocked(GuiConfig gui) => IsLocked(gui.User, gui.Password);

    /// <inheritdoc cref="IsLocked(GuiConfig)"/>
    public static bool IsLocked(string user, string password) =>
        user.Length > 0 && password.Length == BcryptPrefix.Length + BcryptSaltAndDigestLength &&
        password.StartsWith("$2", StringComparison.Ordinal);
}
