using System.CommandLine;
using DistributedGmm.Cluster;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Data;
using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Cli.Commands;

/// <summary><c>gmm node --role worker --seed-nodes …</c>: a worker node serving fits until SIGTERM/Ctrl+C, then leaving the cluster;
/// downed or removed by the cluster, it joins again in the same process.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "The node's role; only 'worker' for now", DefaultValueFactory = _ => ClusterConfig.WorkerRole };
        var workers = new Option<int?>("--workers") { Description = "Shard-worker actors per fit on this node, each using all its cores (default: gmm.node-workers, 1)" };
        var cacheMb = new Option<long?>("--cache-mb") { Description = "Memory for caching decoded shards, in MiB (default: a quarter of the available memory)" };
        var readyFile = new Option<string?>("--ready-file") { Description = "Write this file once the node is Up in the cluster (for health checks); removed on exit" };
        var node = new ClusterOptions();
        var command = new Command("node", "Run a long-lived cluster node that serves fits until stopped (SIGTERM: leave the cluster, exit 0)")
            { role, workers, cacheMb, readyFile };
        node.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(role) != ClusterConfig.WorkerRole)
                throw new UsageException($"--role must be {ClusterConfig.WorkerRole}, got '{r.GetValue(role)}' (the coordinator is 'gmm fit --cluster')");
            // The object store's settings (GMM_S3_PART_SIZE, GMM_S3_ATTEMPTS, the endpoint) are checked now, not when a job comes.
            _ = ObjectStoreSettings.FromEnvironment(r.GetValue(GmmApp.S3Endpoint));
            var workerNode = node.Load(r, ClusterConfig.WorkerRole);
            var count = r.GetValue(workers) ?? workerNode.Settings.NodeWorkers;
            CliOptions.RequireWorkers(count);
            var cacheBytes = CliOptions.CacheBytes(r.GetValue(cacheMb));
            var options = new WorkerNodeOptions
            {
                Workers = count,
                CacheBytes = cacheBytes ?? FitJob.DefaultCacheBytes,
                Log = line => Console.Error.WriteLine($"gmm node: {line}"),
            };
            if (r.GetValue(readyFile) is { } ready)
            {
                try
                {
                    ReadyFile.EnsureWritable(ready);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException(e.Message);
                }
            }
            // The private temporaries of a node killed here before (SIGKILL leaves them): their process is gone.
            ProcessTemporaries.Sweep();
            try
            {
                await WorkerNodeHost.RunAsync(workerNode, options, r.GetValue(readyFile), ct);
            }
            finally
            {
                ProcessTemporaries.Remove();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
