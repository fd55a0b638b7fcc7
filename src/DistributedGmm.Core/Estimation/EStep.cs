using System.Runtime.Intrinsics;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// The E-step over a shard: responsibilities block by block, accumulated into shifted sufficient statistics.
/// Nothing of size n × K outlives a block. The result depends only on the shard's rows and the model, never on
/// which thread or worker computes it: that is what makes every reduction order-exact. The kernels run on the
/// widest vectors the machine accelerates (<see cref="KernelPaths.Best"/>); GMM_KERNEL=vector256 on every node
/// makes a cluster of AVX2 and AVX-512 machines compute the same bits.
/// </summary>
public static class EStep
{
    /// <summary>Rows a block: the block's K log-densities per row stay in the L1/L2 caches.</summary>
    public const int BlockRows = 128;

    /// <summary>The kernel path this process runs: scalar, vector256 or vector512.</summary>
    public static string KernelName => KernelPaths.Best.ToString().ToLowerInvariant();

    /// <summary>The statistics of one shard under <paramref name="model"/>, shifted by the model's means.</summary>
    public static SufficientStatistics Compute(PreparedMixture model, RowBlock shard) => Compute(model, shard, KernelPaths.Best);

    /// <summary>As <see cref="Compute(PreparedMixture, RowBlock)"/> on the fit's path <paramref name="path"/>, which this process must support.</summary>
    public static SufficientStatistics Compute(PreparedMixture model, RowBlock shard, KernelPath path)
    {
        var stats = new SufficientStatistics(model.CovarianceType, model.Components, model.Dimensions);
        Accumulate(model, shard, stats, path);
        return stats;
    }

    public static void Accumulate(PreparedMixture model, RowBlock shard, SufficientStatistics stats) =>
        Accumulate(model, shard, stats, KernelPaths.Best);

    internal static void Accumulate(PreparedMixture model, RowBlock shard, SufficientStatistics stats, KernelPath path)
    {
        if (shard.Dimensions != model.Dimensions)
            throw new ArgumentException($"rows have {shard.Dimensions} columns, the model {model.Dimensions}");
        if (stats.CovarianceType != model.CovarianceType || stats.Components != model.Components || stats.Dimensions != model.Dimensions)
            throw new ArgumentException("the statistics do not have the model's shape");
        switch (path)
        {
            case KernelPath.Vector512: EStepKernels<Lanes512, Vector512<double>>.Accumulate(model, shard, stats); break;
            case KernelPath.Vector256: EStepKernels<Lanes256, Vector256<double>>.Accumulate(model, shard, stats); break;
            default: EStepKernels<ScalarLanes, double>.Accumulate(model, shard, stats); break;
        }
    }
}
