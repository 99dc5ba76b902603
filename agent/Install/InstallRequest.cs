namespace Thopter.Agent.Install;

/// <param name="SigningKeyPem">The ECDSA P-521 public key release.sig must verify against.</param>
/// <param name="SigningKeySource">Where the key came from, for messages ("built-in key", a file path).</param>
public sealed record InstallRequest(SyncthingRelease Release, Uri Mirror, string SigningKeyPem, string SigningKeySource);
