using Akka.Actor;
using DistributedGmm.Cluster.Coordination;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster;

/// <summary>
/// The coordinator as a batch job: joins the cluster with role coordinator, asks every worker node to join the
/// fit (they read the same files, checked by <see cref="DatasetFingerprint"/>), runs the same
/// <see cref="FitCoordinator"/> as the embedded runtime, leaves the cluster. The model is bit-identical to the
/// embedded fit's on the same data.
/// </summary>
public static class ClusterFit
{
    public static Task<FittedModel> RunAsync(ClusterFitJob job, ParquetShardSource source, IProgress<FitProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunPlanAsync(job, source, progress, null, cancellationToken);

    /// <summary>The data under <paramref name="model"/>, scored by the worker nodes (see <see cref="EmbeddedFit.ScoreAsync"/>).</summary>
    public static Task<FittedModel> ScoreAsync(GaussianMixture model, ClusterFitJob job, ParquetShardSource source,
        CancellationToken cancellationToken = default) =>
        RunPlanAsync(job, source, null, model, cancellationToken);

    private static async Task<FittedModel> RunPlanAsync(ClusterFitJob job, ParquetShardSource source, IProgress<FitProgress>? progress,
        GaussianMixture? scoreOnly, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (job.MinimumNodes < 1) throw new ArgumentException($"minimum worker nodes must be at least 1, got {job.MinimumNodes}");
        if (source.ShardCount == 0) throw new ArgumentException("no shards to fit");
        FitPlan Plan() => FitPlan.For(job.Job, source, progress, scoreOnly, cancellationToken) with
        {
            MinimumWorkers = int.MaxValue, // the recruiter says how many once enough nodes joined
            RegistrationTimeout = Timeout.InfiniteTimeSpan,
        };
        // Settings or a model that do not fit the data are refused before the node joins anything.
        FitCoordinator.Sequence(Plan());
        return await OnCoordinatorNodeAsync(job, async system =>
        {
            var plan = Plan();
            var coordinator = system.ActorOf(FitCoordinator.Props(plan), "coordinator");
            var join = new JoinFit(Guid.NewGuid(), coordinator, DatasetFingerprint.Spec(source.Dataset), plan.Settings.Kernel);
            system.ActorOf(FitRecruiter.Props(coordinator, join, job.MinimumNodes, job.Job.Runtime.JoinTimeout, plan.Completion), "recruiter");
            await using var cancel = cancellationToken.Register(() => coordinator.Tell(CancelFit.Instance));
            return await plan.Completion.Task.ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the predictions of every input file of <paramref name="source"/> under <paramref name="model"/> to
    /// <paramref name="outputs"/> (one path per file, on storage every node shares, or one s3:// object per file),
    /// spread over the worker nodes.
    /// </summary>
    public static async Task PredictAsync(GaussianMixture model, ClusterFitJob job, ParquetShardSource source, IReadOnlyList<string> outputs,
        CancellationToken cancellationToken = default, IReadOnlyList<string>? keepColumns = null)
    {
        if (outputs.Count != source.Dataset.Files.Count) throw new ArgumentException($"{outputs.Count} outputs for {source.Dataset.Files.Count} files");
        var data = DatasetFingerprint.Spec(source.Dataset);
        // Shared by every attempt: a removal started as the coordinator's node leaves still ends before this returns.
        var removals = new PendingRemovals();
        try
        {
            await OnCoordinatorNodeAsync(job, async system =>
            {
                var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var plan = new PredictPlan(model, data, outputs, job.MinimumNodes, job.Job.Runtime.JoinTimeout, job.Job.MaxGroupAttempts, completion)
                    { RequestTimeout = job.Job.Runtime.RequestTimeout, KeepColumns = keepColumns, Removals = removals };
                var coordinator = system.ActorOf(PredictCoordinator.Props(plan), "predict");
                // The coordinator removes what the job wrote, then ends it as cancelled (or, stopped, as failed).
                await using var cancel = cancellationToken.Register(() => coordinator.Tell(CancelFit.Instance));
                await completion.Task.ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await removals.WhenAllAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a coordinator node that joins the cluster and always leaves it afterwards.
    /// A node the cluster downs while the job runs, or that reaches none of the worker nodes it sees by the join
    /// timeout (both happen to a coordinator that joined through a member that was itself about to be downed, such as
    /// a seed node resuming from a long pause) joins again through the workers it saw and runs the job again from its
    /// start, at most <see cref="Rejoins"/> times: the job's result does not depend on which attempt computes it, and
    /// a batch job should not fail for a membership change it had no part in.
    /// </summary>
    private static async Task<T> OnCoordinatorNodeAsync<T>(ClusterFitJob job, Func<ActorSystem, Task<T>> work, CancellationToken cancellationToken)
    {
        var node = job.Node;
        for (var attempt = 0; ; attempt++)
        {
            ListenAddress.EnsureAvailable(node.Config);
            var system = GmmActorSystem.Create(ClusterConfig.SystemName, node);
            var cluster = Akka.Cluster.Cluster.Get(system);
            var rejoin = RejoinSeeds.Track(cluster);
            try
            {
                job.Log?.Invoke($"coordinator at {cluster.SelfAddress}; waiting up to {job.Job.Runtime.JoinTimeout.TotalSeconds:0.#} s for {job.MinimumNodes} worker node(s)");
                return await work(system).ConfigureAwait(false);
            }
            catch (FitFailedException e) when (attempt < Rejoins && !cancellationToken.IsCancellationRequested && (e.MembershipLost || WasDowned(system)))
            {
                job.Log?.Invoke(e.MembershipLost
                    ? $"{e.Message}; joining again"
                    : $"the cluster downed the coordinator at {cluster.SelfAddress} before the job ended; joining again and starting over");
            }
            finally
            {
                await LeaveAsync(system).ConfigureAwait(false);
            }
            // The next node may bind the same port (a fixed --port): the old one must be gone first.
            await Task.WhenAny(system.WhenTerminated, Task.Delay(LeaveBound)).ConfigureAwait(false);
            node = rejoin.Apply(job.Node, cluster.SelfAddress);
        }
    }

    /// <summary>How often a downed coordinator joins again before its job fails with the cluster's exit code.</summary>
    private const int Rejoins = 2;

    /// <summary>The cluster downed this node: its shutdown started for that reason (the fit then failed as its actors stopped).</summary>
    private static bool WasDowned(ActorSystem system) =>
        CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason;

    /// <summary>
    /// Leaves the cluster gracefully and waits until this node is removed (CoordinatedShutdown's cluster-leave and
    /// cluster-exiting phases, bounded by their timeouts in NodeDefaults), so a finished coordinator is never left in
    /// the membership as an unreachable member. While a coordinator that was killed is unreachable the leave completes
    /// once the workers have downed it; while a worker node is, the leave gets a short grace (see the body).
    /// </summary>
    private static async Task LeaveAsync(ActorSystem system)
    {
        // With a worker node unreachable (one the job lost) the leave cannot finish until the resolver has downed it,
        // which a loaded machine can put off for tens of seconds: the leave then gets a short grace, the process
        // exits, and the worker nodes down the coordinator they no longer reach (gmm.coordinator-down-after).
        // An unreachable coordinator (one that was killed) is downed by the workers within that same bound, so then
        // the leave waits: exiting early would leave this coordinator unreachable in turn, and the next one would find
        // it so, and so on, every coordinator downed instead of removed.
        var workerUnreachable = Akka.Cluster.Cluster.Get(system).State.Unreachable.Any(m => !m.HasRole(ClusterConfig.CoordinatorRole));
        var bound = workerUnreachable ? LeaveGraceWithUnreachable : LeaveBound;
        var leaving = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        // CoordinatedShutdown bounds every phase itself; this only guards against a phase that never completes.
        await Task.WhenAny(leaving, Task.Delay(bound)).ConfigureAwait(false);
    }

    private static readonly TimeSpan LeaveBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LeaveGraceWithUnreachable = TimeSpan.FromSeconds(2);
}
