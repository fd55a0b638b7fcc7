using Akka.Actor;
using DistributedGmm.Cluster.Coordination;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// The embedded runtime put together by hand, as <see cref="EmbeddedFit"/> does, with each shard worker behind a
/// <see cref="FaultyWorker"/>: the same plan, coordinator, workers and supervisor, and faults injected from outside.
/// </summary>
internal static class TestRuntime
{
    /// <param name="registerAfter">Per worker index, a pause before it registers (the order groups are dealt in).</param>
    /// <param name="system">The actor system to run in (shut down at the end); default: the gmm one, every message serialized.</param>
    public static async Task<FittedModel> RunAsync(FitJob job, IShardSource source, IProgress<FitProgress>? progress = null,
        WorkerFaultHook? fault = null, Func<int, TimeSpan>? registerAfter = null, ActorSystem? system = null)
    {
        var plan = FitPlan.For(job, source, progress, null, CancellationToken.None) with { MinimumWorkers = job.Workers };
        system ??= GmmActorSystem.Create($"test-{Guid.NewGuid():N}", overrides: TestData.Config);
        try
        {
            var coordinator = system.ActorOf(FitCoordinator.Props(plan), "coordinator");
            var workers = Enumerable.Range(0, job.Workers).Select(i => FaultyWorker.Props(coordinator, i,
                self => ShardWorker.Props(self, source, EmbeddedFit.WorkerOptions(job, i)),
                fault ?? ((_, _) => WorkerFault.None), registerAfter?.Invoke(i) ?? TimeSpan.Zero)).ToArray();
            system.ActorOf(WorkerSupervisor.Props(workers), "workers");
            return await plan.Completion.Task;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.UnknownReason.Instance);
        }
    }
}
