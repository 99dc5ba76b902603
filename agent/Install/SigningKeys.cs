namespace Thopter.Agent.Install;

/// <summary>Public keys the agent trusts for release.sig.</summary>
public static class SigningKeys
{
    /// <summary>
    /// SyncThing's release signing key (public data, the key SyncThing's own upgrader trusts, lib/upgrade/signingkey.go).
    /// A private mirror that re-signs releases passes its own key with --signing-key.
    /// </summary>
    public const string SyncthingRelease = """
        -----BEGIN EC PUBLIC KEY-----
        MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQA1iRk+p+DsmolixxVKcpEVlMDPOeQ
        1dWthURMqsjxoJuDAe5I98P/A0kXSdBI7avm5hXhX2opJ5TAyBZLHPpDTRoBg4WN
        7jUpeAjtPoVVxvOh37qDeDVcjCgJbbDTPKbjxq/Ae3SHlQMRcoes7lVY1+YJ8dPk
        2oPfjA6jtmo9aVbf/uo=
        -----END EC PUBLIC KEY-----
        """;
}
