using Akka.Actor;
using Akka.Configuration;
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

    public static async Task RunAsync(Config config, WorkerNodeOptions options, string? readyFile, CancellationToken cancellationToken)
    {
        if (readyFile is not null) ReadyFile.EnsureWritable(readyFile);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => stopped.TrySetResult());
        var joinConfig = config;
        while (true)
        {
            ListenAddress.EnsureAvailable(config);
            var system = TlsConfig.CreateSystem(ClusterConfig.SystemName, joinConfig);
            var cluster = Akka.Cluster.Cluster.Get(system);
            var rejoin = RejoinSeeds.Track(cluster);
            system.ActorOf(WorkerNode.Props(options), ClusterConfig.NodeActorName);
            system.ActorOf(CoordinatorDowning.Props(ClusterConfig.Duration(config, "coordinator-down-after", TimeSpan.FromSeconds(5))), "coordinator-downing");
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
            joinConfig = rejoin.Apply(config, cluster.SelfAddress);
            if (await Task.WhenAny(stopped.Task, Task.Delay(RejoinDelay, CancellationToken.None)).ConfigureAwait(false) == stopped.Task) return;
        }
    }
}
