using Tmds.DBus.Protocol;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>
/// A stand-in for systemd's manager as a real peer on a real <see cref="PrivateBus"/> (a real systemd cannot run on the
/// test host; the devbox tests use the real one). It answers the calls <c>SystemdUserManager</c> makes and sends the
/// JobRemoved signal of every job it queues BEFORE the job's reply, the worst order a client can see.
/// </summary>
internal sealed class FakeSystemdOnBus : IPathMethodHandler, IAsyncDisposable
{
    private const string Root = "/org/freedesktop/systemd1";
    private const string Manager = "org.freedesktop.systemd1.Manager";

    private readonly DBusConnection connection;
    private int jobs;

    private FakeSystemdOnBus(DBusConnection connection) => this.connection = connection;

    /// <summary>The job result JobRemoved reports, and the state the unit is in once the job is removed.</summary>
    public (string Result, string ActiveState, string SubState) JobOutcome { get; set; } = ("done", "active", "running");

    /// <summary>When false, jobs are queued but never removed (a start that hangs).</summary>
    public bool RemoveJobs { get; set; } = true;

    public string ActiveState { get; private set; } = "inactive";

    public string SubState { get; private set; } = "dead";

    public int Subscribes { get; private set; }

    public string Path => Root;

    public bool HandlesChildPaths => true;

    public static async Task<FakeSystemdOnBus> StartAsync(PrivateBus bus)
    {
        var connection = new DBusConnection(bus.Address);
        await connection.ConnectAsync();
        var fake = new FakeSystemdOnBus(connection);
        connection.AddMethodHandler(fake);
        await connection.RequestNameAsync("org.freedesktop.systemd1", RequestNameOptions.ReplaceExisting);
        return fake;
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        var request = context.Request;
        switch (request.InterfaceAsString, request.MemberAsString)
        {
            case (Manager, "Subscribe"):
                Subscribes++;
                ReplyEmpty(context);
                break;
            case (Manager, "StartUnit" or "RestartUnit" or "StopUnit"):
                QueueJob(context, request.GetBodyReader().ReadString());
                break;
            case (Manager, "LoadUnit"):
                ReplyObjectPath(context, Root + "/unit/any");
                break;
            case ("org.freedesktop.DBus.Properties", "Get"):
                ReplyProperty(context, request.GetBodyReader());
                break;
            default:
                context.ReplyUnknownMethodError();
                break;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private void QueueJob(MethodContext context, string unit)
    {
        var id = (uint)Interlocked.Increment(ref jobs);
        var job = $"{Root}/job/{id}";
        if (RemoveJobs)
        {
            (var result, ActiveState, SubState) = JobOutcome;
            var signal = connection.GetMessageWriter();
            try
            {
                signal.WriteSignalHeader(null, Root, Manager, "JobRemoved", "uoss");
                signal.WriteUInt32(id);
                signal.WriteObjectPath(job);
                signal.WriteString(unit);
                signal.WriteString(result);
                connection.TrySendMessage(signal.CreateMessage());
            }
            finally
            {
                signal.Dispose();
            }
        }

        ReplyObjectPath(context, job);
    }

    private void ReplyProperty(MethodContext context, Reader arguments)
    {
        arguments.ReadString();
        var property = arguments.ReadString();
        var reply = context.CreateReplyWriter("v");
        try
        {
            switch (property)
            {
                case "MainPID":
                    reply.WriteVariantUInt32(ActiveState == "active" ? 4242u : 0u);
                    break;
                default:
                    reply.WriteVariantString(property switch
                    {
                        "LoadState" => "loaded",
                        "ActiveState" => ActiveState,
                        _ => SubState,
                    });
                    break;
            }

            context.Reply(reply.CreateMessage());
        }
        finally
        {
            reply.Dispose();
        }
    }

    private static void ReplyObjectPath(MethodContext context, string path)
    {
        var reply = context.CreateReplyWriter("o");
        try
        {
            reply.WriteObjectPath(path);
            context.Reply(reply.CreateMessage());
        }
        finally
        {
            reply.Dispose();
        }
    }

    private static void ReplyEmpty(MethodContext context)
    {
        var reply = context.CreateReplyWriter(null);
        try
        {
            context.Reply(reply.CreateMessage());
        }
        finally
        {
            reply.Dispose();
        }
    }
}
