using DistributedGmm.Cluster;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core;
using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>How the fit runs (not what it computes): shard workers and their cache (null: the runtime's default).</summary>
internal sealed record RuntimeOptions(int Workers, long? CacheBytes);

/// <summary>One EM iteration as the progress display shows it.</summary>
internal sealed record FitStep(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed,
    int ShardsDone, int ShardsTotal, int LiveWorkers);

/// <summary>
/// The seam between the commands and the runtime that runs EM over a dataset. Opened once per dataset, it can run
/// several fits (<c>select</c> fits many). Each fit runs on the embedded Akka.NET runtime (<see cref="EmbeddedFit"/>:
/// a coordinator and <c>--workers</c> shard workers in this process), whose result equals Core's
/// <see cref="InMemoryFitter"/> bit for bit. The shards are read once, up front, into an <see cref="InMemoryShardSource"/>;
/// a Parquet-backed shard source (workers reading their own shards, with the cache) drops in here.
/// </summary>
internal sealed class FitEngine
{
    private readonly Dataset _dataset;
    private readonly RuntimeOptions _runtime;
    private readonly RowBlock[] _blocks;

    private FitEngine(Dataset dataset, RuntimeOptions runtime, RowBlock[] blocks, long skippedRows)
    {
        _dataset = dataset;
        _runtime = runtime;
        _blocks = blocks;
        SkippedRows = skippedRows;
        Rows = blocks.Sum(b => (long)b.Rows);
    }

    public Dataset Dataset => _dataset;

    /// <summary>Valid rows, after skipping invalid ones.</summary>
    public long Rows { get; }

    public long SkippedRows { get; }

    public static Task<FitEngine> OpenAsync(Dataset dataset, RuntimeOptions runtime, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var (blocks, skipped) = ShardScan.ReadAll(dataset, runtime.Workers, cancellationToken);
            return new FitEngine(dataset, runtime, blocks, skipped);
        }, cancellationToken);

    /// <summary>K components need K rows (scikit-learn's n_samples ≥ n_components).</summary>
    public void EnsureEnoughRows(int components)
    {
        if (components > Rows)
            throw new UsageException($"{components} components need at least {components} rows, but the data has {Rows:N0}");
    }

    public Task<FittedModel> FitAsync(FitSettings settings, IProgress<FitStep>? progress, CancellationToken cancellationToken)
    {
        EnsureEnoughRows(settings.Components);
        var job = new FitJob { Settings = settings, Workers = _runtime.Workers };
        if (_runtime.CacheBytes is { } cache) job = job with { CacheBytes = cache };
        var steps = progress is null
            ? null
            : new InlineProgress<FitProgress>(p => progress.Report(
                new FitStep(p.Restart, p.Iteration, p.MeanLogLikelihood, p.Change, p.Elapsed, p.ShardsDone, p.ShardsTotal, p.LiveWorkers)));
        return EmbeddedFit.RunAsync(job, new InMemoryShardSource(_blocks, _dataset.Columns), steps, cancellationToken);
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so lines come out in order.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
