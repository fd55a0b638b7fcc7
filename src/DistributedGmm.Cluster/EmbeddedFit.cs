using Akka.Actor;
using Akka.Configuration;
using DistributedGmm.Cluster.Coordination;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster;

/// <summary>
/// The runtime in one process: one ActorSystem, a coordinator and <see cref="FitJob.Workers"/> shard workers,
/// the same actors and messages a cluster runs. Returns the model or throws the fit's own exception
/// (<see cref="DegenerateComponentException"/>, the data layer's, <see cref="OperationCanceledException"/>);
/// the ActorSystem is always shut down.
/// </summary>
public static class EmbeddedFit
{
    public static Task<FittedModel> RunAsync(FitJob job, IShardSource source, IProgress<FitProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(job, source, progress, null, cancellationToken);

    /// <summary>
    /// The data under <paramref name="model"/>, through the same workers and E-step: the result carries the given
    /// mixture, the total and mean log-likelihood and the row count (no iterations). <c>job.Settings</c> is not used.
    /// </summary>
    public static Task<FittedModel> ScoreAsync(GaussianMixture model, FitJob job, IShardSource source,
        CancellationToken cancellationToken = default) =>
        RunPlanAsync(job, source, null, null, model, cancellationToken);

    /// <summary>As the public overload, with <paramref name="akka"/> over the actor system's configuration.</summary>
    internal static Task<FittedModel> RunAsync(FitJob job, IShardSource source, IProgress<FitProgress>? progress, Config? akka,
        CancellationToken cancellationToken) =>
        RunPlanAsync(job, source, progress, akka, null, cancellationToken);

    internal static async Task<FittedModel> RunPlanAsync(FitJob job, IShardSource source, IProgress<FitProgress>? progress,
        Config? akka, GaussianMixture? scoreOnly, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (job.Workers < 1) throw new ArgumentException($"workers must be at least 1, got {job.Workers}");
        if (source.ShardCount == 0) throw new ArgumentException("no shards to fit");
        var plan = FitPlan.For(job, source, progress, scoreOnly, cancellationToken) with { MinimumWorkers = job.Workers };
        FitCoordinator.Sequence(plan); // validates settings against the data before any actor starts
        var system = GmmActorSystem.Create($"gmm-{Guid.NewGuid():N}", overrides: akka);
        try
        {
            var coordinator = system.ActorOf(FitCoordinator.Props(plan), "coordinator");
            var workers = Enumerable.Range(0, job.Workers).Select(i => ShardWorker.Props(coordinator, source, WorkerOptions(job, i))).ToArray();
            system.ActorOf(WorkerSupervisor.Props(workers), "workers");
            await using var cancel = cancellationToken.Register(() => coordinator.Tell(CancelFit.Instance));
            return await plan.Completion.Task.ConfigureAwait(false);
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.UnknownReason.Instance).ConfigureAwait(false);
        }
    }

    /// <summary>How shard worker <paramref name="index"/> of <paramref name="job"/> runs: its threads and its share of the cache.</summary>
    internal static WorkerOptions WorkerOptions(FitJob job, int index) =>
        Workers.WorkerOptions.OneOf(index, job.Workers, job.ParallelismPerWorker, job.CacheBytes);
}
