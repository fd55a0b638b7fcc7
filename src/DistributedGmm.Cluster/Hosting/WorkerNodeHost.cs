using Akka.Actor;
using DistributedGmm.Cluster.Workers;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// A long-running worker node: joins the cluster (role worker), hosts <see cref="WorkerNode"/> at
/// <c>/user/gmm-node</c>, writes the ready file once Up, and serves fits until cancelled, then leaves the cluster
/// gracefully (CoordinatedShutdown). A node the cluster downed or removed without being asked (it was paused or
/// cut off longer than the failure detector allows) starts a fresh actor system in the same process and joins
/// again, so a supervisor sees one process that stays up.
/// </summary>
public static class WorkerNodeHost
{
    /// <summary>A pause before joining again, so a node downed over and over does not spin.</summary>
    private static readonly TimeSpan RejoinDelay = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(ClusterNode node, WorkerNodeOptions options, string? readyFile, CancellationToken cancellationToken)
    {
        if (readyFile is not null) ReadyFile.EnsureWritable(readyFile);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => stopped.TrySetResult());
        var joining = node;
        while (true)
        {
            ListenAddress.EnsureAvailable(node.Config);
            var system = GmmActorSystem.Create(ClusterConfig.SystemName, joining);
            var cluster = Akka.Cluster.Cluster.Get(system);
            var rejoin = RejoinSeeds.Track(cluster);
            StartActors(system, options);
            cluster.RegisterOnMemberUp(() =>
            {
                if (readyFile is not null) File.WriteAllText(readyFile, cluster.SelfAddress + Environment.NewLine);
                options.Log?.Invoke($"up at {cluster.SelfAddress} with {options.Workers} shard worker(s)");
            });
            options.Log?.Invoke($"listening at {cluster.SelfAddress}; joining the cluster");
            var finished = await Task.WhenAny(stopped.Task, system.WhenTerminated).ConfigureAwait(false);
            ReadyFile.Remove(readyFile);
            if (finished == stopped.Task)
            {
                options.Log?.Invoke("leaving the cluster");
                await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
                return;
            }
            options.Log?.Invoke($"{cluster.SelfAddress} was removed from the cluster (downed while unreachable); joining again");
            joining = rejoin.Apply(node, cluster.SelfAddress);
            if (await Task.WhenAny(stopped.Task, Task.Delay(RejoinDelay, CancellationToken.None)).ConfigureAwait(false) == stopped.Task) return;
        }
    }

    /// <summary>The actors of a worker node: the node that joins fits, the downing of dead coordinators, and of itself once quarantined.</summary>
    internal static void StartActors(ActorSystem system, WorkerNodeOptions options)
    {
        system.ActorOf(WorkerNode.Props(options), ClusterConfig.NodeActorName);
        system.ActorOf(CoordinatorDowning.Props(GmmSettings.From(system.Settings.Config).CoordinatorDownAfter), "coordinator-downing");
        system.ActorOf(QuarantineWatch.Props(), "quarantine-watch");
    }
}
