using Akka.Actor;
using Akka.Event;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Akka's log on stderr instead of stdout: a cluster node's stdout carries the command's output (e.g. the JSON of
/// <c>gmm fit --json</c>), which a warning from the transport must not interleave with.
/// </summary>
public sealed class StderrLogger : ReceiveActor
{
    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine(e.ToString()));
    }
}
