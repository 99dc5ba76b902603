using Thopter.Shared.Config;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Syncthing;

/// <summary>Who, besides API-key holders, the laptop SyncThing's GUI/REST listener admits.</summary>
public enum GuiLockState
{
    /// <summary>No GUI user: anyone on this machine can load the GUI, take its CSRF cookie and read /rest/config, API key included.</summary>
    Open,

    /// <summary>Locked by thopter: a GUI user whose password nobody holds.</summary>
    Ours,

    /// <summary>The user's own login (a GUI user with a password, or LDAP): left as it is.</summary>
    OwnLogin,

    /// <summary>A GUI user (or password) the user set, but no complete login: still open, and not ours to change.</summary>
    OwnIncomplete,
}

/// <summary>
/// Locks the laptop SyncThing's GUI as the agent locks the devbox's (<see cref="GuiSecrets"/>), through the REST API,
/// and only when nobody set a GUI login: a user's own GUI user or password is never replaced.
/// </summary>
public static class GuiLock
{
    public const string OpenReason = "any local user can load SyncThing's GUI, take its CSRF cookie and read /rest/config (the API key included)";

    public const string OwnIncompleteFix = "set both a GUI user and a password in SyncThing (Actions > Settings > GUI), or clear both and run `thopter sync init` to lock it";

    public const string OpenFix = "run `thopter sync init` (it locks the GUI with a user whose password nobody holds), or set a GUI user and password in SyncThing (Actions > Settings > GUI)";

    private static readonly TimeSpan ListenerRestart = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    public static GuiLockState Classify(RestGui gui)
    {
        var user = gui.User ?? string.Empty;
        var password = gui.Password ?? string.Empty;
        if (string.Equals(gui.AuthMode, "ldap", StringComparison.OrdinalIgnoreCase))
        {
            return GuiLockState.OwnLogin;
        }

        if (GuiSecrets.IsLocked(user, password))
        {
            return user == GuiSecrets.LockUser ? GuiLockState.Ours : GuiLockState.OwnLogin;
        }

        return user.Length == 0 && password.Length == 0 ? GuiLockState.Open : GuiLockState.OwnIncomplete;
    }

    /// <summary>Locks an open GUI; returns the state before (so <see cref="GuiLockState.Open"/> means "locked now").</summary>
    public static async Task<GuiLockState> EnsureAsync(SyncthingRestClient client, CancellationToken cancellationToken)
    {
        var state = Classify(await client.GetGuiAsync(cancellationToken).ConfigureAwait(false));
        if (state != GuiLockState.Open)
        {
            return state;
        }

        try
        {
            await client.PatchGuiAsync(new RestGui { User = GuiSecrets.LockUser, Password = GuiSecrets.NewLockHash() }, cancellationToken).ConfigureAwait(false);
        }
        catch (SyncthingApiException error) when (error.Kind == SyncthingApiErrorKind.Unreachable)
        {
            // The listener restarting for this very change may cut its answer: whether it took is checked below.
        }

        await WaitForListenerRestartAsync(client, cancellationToken).ConfigureAwait(false);
        if (Classify(await client.GetGuiAsync(cancellationToken).ConfigureAwait(false)) != GuiLockState.Ours)
        {
            throw new SyncthingApiException(
                SyncthingApiErrorKind.BadResponse,
                $"SyncThing at {client.BaseAddress} did not keep the GUI login thopter set",
                "set a GUI user and password yourself in SyncThing (Actions > Settings > GUI), then run this again");
        }

        return state;
    }

    /// <summary>
    /// SyncThing restarts its GUI/REST listener after a GUI change, a moment after answering: calls made in between
    /// fail. Waits until the API answers after the restart was seen, or, when it was too quick to be seen, after a
    /// quiet period; bounded either way (the next call reports if SyncThing never comes back).
    /// </summary>
    private static async Task WaitForListenerRestartAsync(SyncthingRestClient client, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sawRestart = false;
        while (clock.Elapsed < ListenerRestart)
        {
            try
            {
                await client.PingAsync(cancellationToken).ConfigureAwait(false);
                if (sawRestart || clock.Elapsed >= QuietPeriod)
                {
                    return;
                }
            }
            catch (SyncthingApiException error) when (error.Kind is SyncthingApiErrorKind.Unreachable or SyncthingApiErrorKind.Timeout)
            {
                sawRestart = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }
}
