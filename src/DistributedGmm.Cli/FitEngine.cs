using DistributedGmm.Core;
using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>How the fit runs (not what it computes): shard workers and their cache.</summary>
internal sealed record RuntimeOptions(int Workers, long CacheBytes);

/// <summary>One EM iteration as the progress display shows it.</summary>
internal sealed record FitStep(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed,
    int ShardsDone, int ShardsTotal, int LiveWorkers);

/// <summary>
/// The seam between the commands and the runtime that runs EM over a dataset. Opened once per dataset, it can run
/// several fits (<c>select</c> fits many). This implementation reads every shard into memory and runs Core's
/// <see cref="InMemoryFitter"/>, which the embedded Akka runtime must equal bit for bit; swapping in
/// <c>EmbeddedFit.RunAsync</c> changes only this class.
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

    public Task<FittedModel> FitAsync(FitSettings settings, IProgress<FitStep>? progress, CancellationToken cancellationToken)
    {
        if (settings.Components > Rows)
            throw new UsageException($"{settings.Components} components need at least {settings.Components} rows, but the data has {Rows}");
        var shards = _blocks.Length;
        var steps = progress is null
            ? null
            : new InlineProgress<IterationProgress>(p => progress.Report(
                new FitStep(p.Restart, p.Iteration, p.MeanLogLikelihood, p.Change, p.Elapsed, shards, shards, _runtime.Workers)));
        return Task.Run(() => InMemoryFitter.Fit(_blocks, _dataset.Columns, settings, steps, cancellationToken), cancellationToken);
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so lines come out in order.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
