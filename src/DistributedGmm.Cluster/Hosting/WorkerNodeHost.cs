using Akka.Actor;
using Akka.Configuration;
using DistributedGmm.Cluster.Workers;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// A long-running worker node: joins the cluster (role worker), hosts <see cref="WorkerNode"/> at
/// <c>/user/gmm-node</c>, writes the ready file once Up, and serves fits until cancelled, then leaves the cluster
/// gracefully (CoordinatedShutdown). Returns false when the node was removed from the cluster without being asked.
/// </summary>
public static class WorkerNodeHost
{
    public static async Task<bool> RunAsync(Config config, WorkerNodeOptions options, string? readyFile, CancellationToken cancellationToken)
    {
        var system = TlsConfig.CreateSystem(ClusterConfig.SystemName, config);
        var cluster = Akka.Cluster.Cluster.Get(system);
        system.ActorOf(WorkerNode.Props(options), ClusterConfig.NodeActorName);
        cluster.RegisterOnMemberUp(() =>
        {
            if (readyFile is not null) File.WriteAllText(readyFile, cluster.SelfAddress + Environment.NewLine);
            options.Log?.Invoke($"up at {cluster.SelfAddress} with {options.Workers} shard worker(s)");
        });
        options.Log?.Invoke($"listening at {cluster.SelfAddress}; joining the cluster");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => stopped.TrySetResult());
        var finished = await Task.WhenAny(stopped.Task, system.WhenTerminated).ConfigureAwait(false);
        try
        {
            if (readyFile is not null) File.Delete(readyFile);
        }
        catch (IOException)
        {
            // The health check then sees a stale file for a moment; nothing else depends on it.
        }
        if (finished != stopped.Task) return false;
        options.Log?.Invoke("leaving the cluster");
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        return true;
    }
}
