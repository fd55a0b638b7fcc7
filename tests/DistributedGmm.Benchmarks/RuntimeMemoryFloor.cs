using System.Diagnostics;
using Akka.Actor;
using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// The resident memory of the runtime before any data: an actor system with the runtime's configuration and one
/// actor that has answered one message, nothing else. Run it as its own process (it is: this is its whole job), then
/// compare with the memory budget a data size leaves. A fit on data smaller than this can never reach a peak of
/// 1.5 times its data, whatever the fit itself does.
/// </summary>
public static class RuntimeMemoryFloor
{
    public const string Usage = "[--n N (1000000)] [--d D (16)]";

    public static int Run(BenchmarkArguments args)
    {
        var n = args.Long("n", 1_000_000);
        var d = args.Int("d", 16);
        args.EnsureAllRead();

        var bare = PeakMegabytes();
        using (var system = GmmActorSystem.Create("floor"))
        {
            var echo = system.ActorOf(Props.Create(() => new Echo()));
            echo.Ask<string>("ping", TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            Thread.Sleep(500);
            var runtime = PeakMegabytes();
            var data = n * d * 8 / 1e6;
            Console.WriteLine($".NET process before the actor system: peak {bare:F0} MB");
            Console.WriteLine($"actor system with one actor, nothing else: peak {runtime:F0} MB");
            Console.WriteLine($"data N = {n:N0} × d = {d} as float64: {data:F0} MB; 1.5 times that leaves {0.5 * data:F0} MB for everything else");
            Console.WriteLine($"so a fit's peak is at least {(data + runtime) / data:F2} times its data at this size; 1.5 needs N ≥ {runtime / (0.5 * d * 8 / 1e6):N0} at d = {d}");
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        return 0;
    }

    // Process.PeakWorkingSet64 is VmHWM on Linux: the peak resident set, the number /usr/bin/time -v reports.
    private static double PeakMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1e6;
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(message => Sender.Tell(message));
    }
}
