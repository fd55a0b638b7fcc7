using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Akka's log on stderr instead of stdout: a cluster node's stdout carries the command's output (e.g. the JSON of
/// <c>gmm fit --json</c>), which a warning from the transport must not interleave with. One line per event,
/// naming its source and, for an error, the cause's message; the full event with stack traces only under
/// <c>GMM_DEBUG=1</c>. Like Akka's own loggers it runs on the logger mailbox, which drains at shutdown.
/// </summary>
public sealed class StderrLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private static readonly bool Debug = Environment.GetEnvironmentVariable("GMM_DEBUG") is "1" or "true";

    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            if (Debug) Console.Error.WriteLine(e.ToString());
            else if (!IsTransportNoise(e)) Console.Error.WriteLine(OneLine(e));
        });
    }

    /// <summary>
    /// The transport's view of a peer that went away: every job's end closes its connections, and a lost node is
    /// already reported once by the cluster (unreachable, downed) and by the coordinator.
    /// </summary>
    public static bool IsTransportNoise(LogEvent e) =>
        e.LogSource.Contains("/system/endpointManager/", StringComparison.Ordinal)
        || (e.LogSource.StartsWith("remoting", StringComparison.Ordinal)
            && e.Message?.ToString()?.StartsWith("Tried to associate with unreachable remote address", StringComparison.Ordinal) == true);

    public static string OneLine(LogEvent e)
    {
        var level = e.LogLevel() switch
        {
            LogLevel.ErrorLevel => "ERROR",
            LogLevel.WarningLevel => "WARNING",
            LogLevel.InfoLevel => "INFO",
            _ => "DEBUG",
        };
        var cause = e is Error { Cause: { } c } ? $" ({c.GetType().Name}: {c.Message})" : "";
        return $"gmm: akka {level} {e.LogSource}: {e.Message}{cause}".ReplaceLineEndings(" ");
    }
}
