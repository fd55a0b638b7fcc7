using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// The whole EM fit over shards held in memory: the reference the distributed runtime must equal bit for bit.
/// Shards are computed in parallel, then added up in <see cref="ShardReduction"/>'s fixed order.
/// </summary>
public static class InMemoryFitter
{
    public static FittedModel Fit(IReadOnlyList<RowBlock> shards, IReadOnlyList<string> columns, FitSettings settings,
        IProgress<IterationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        if (shards.Count == 0) throw new ArgumentException("no shards to fit");
        var d = shards[0].Dimensions;
        if (columns.Count != d) throw new ArgumentException($"{columns.Count} column names for {d}-dimensional rows");
        long totalRows = 0;
        foreach (var shard in shards)
        {
            if (shard.Dimensions != d) throw new ArgumentException("shards have different numbers of columns");
            totalRows += shard.Rows;
        }
        // As scikit-learn (n_samples >= n_components), whatever the initialisation, a given start model included.
        if (totalRows < settings.Components)
            throw new ArgumentException($"{settings.Components} components need at least {settings.Components} rows, but the data has {totalRows} rows");
        // A given start model makes the initialisation sample unused: it is not drawn (nor held during the fit).
        var sample = settings.InitModel is null ? DrawSample(shards, totalRows, settings, d) : new RowBlock([], 0, d);

        // MAP: one pass over the data for its mean and covariance, which the prior is made of.
        ConjugatePrior? prior = null;
        if (settings.Prior is { } priorSettings)
        {
            var shift = ConjugatePrior.Shift(sample, settings.InitModel);
            prior = ConjugatePrior.FromMoments(priorSettings, settings.CovarianceType, settings.Components,
                Statistics(ConjugatePrior.MomentsModel(shift), shards, cancellationToken), shift);
        }
        EmRun? best = null;
        for (var restart = 0; restart < settings.NInit; restart++)
        {
            var run = new EmRun(Initializer.Initialize(sample, settings, restart), settings, restart) { Prior = prior };
            while (!run.Finished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var stats = Statistics(run.Current, shards, cancellationToken);
                var step = run.Advance(stats, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                progress?.Report(step);
            }
            if (best is null || run.LowerBound > best.LowerBound) best = run;
        }
        return best!.ToModel(Statistics(best.Current, shards, cancellationToken), columns);
    }

    private static RowBlock DrawSample(IReadOnlyList<RowBlock> shards, long totalRows, FitSettings settings, int d)
    {
        var samples = new RowBlock[shards.Count];
        for (var i = 0; i < shards.Count; i++) samples[i] = InitialSample.Draw(shards[i], i, totalRows, settings);
        return InitialSample.Concatenate(samples, d);
    }

    /// <summary>The E-step over every shard, in parallel, added up in the canonical order.</summary>
    public static SufficientStatistics Statistics(PreparedMixture model, IReadOnlyList<RowBlock> shards, CancellationToken cancellationToken = default)
    {
        var perShard = new SufficientStatistics[shards.Count];
        try
        {
            Parallel.For(0, shards.Count, new ParallelOptions { CancellationToken = cancellationToken },
                i => perShard[i] = EStep.Compute(model, shards[i]));
        }
        catch (AggregateException e)
        {
            // The E-step's own exception (bad rows, a wrong width), not Parallel's wrapper around it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return ShardReduction.Reduce(perShard);
    }
}
