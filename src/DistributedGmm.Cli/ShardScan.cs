using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>
/// Reads every shard of a dataset with a few threads, each with its own <see cref="ShardReader"/> over a contiguous
/// run of shards (so a row group cut into slices is decoded once).
/// </summary>
internal static class ShardScan
{
    /// <summary>Calls <paramref name="onShard"/> for every shard, from up to <paramref name="threads"/> threads at once.</summary>
    public static void ForEach(Dataset dataset, int threads, CancellationToken cancellationToken, Action<ShardData> onShard)
    {
        var shards = dataset.Shards;
        var runs = Math.Clamp(threads, 1, Math.Max(1, shards.Count));
        Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = runs, CancellationToken = cancellationToken }, run =>
        {
            using var reader = new ShardReader(dataset);
            for (int i = shards.Count * run / runs, end = shards.Count * (run + 1) / runs; i < end; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                onShard(reader.Read(shards[i]));
            }
        });
    }
}
