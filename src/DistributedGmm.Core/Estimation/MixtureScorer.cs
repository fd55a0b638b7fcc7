using System.Runtime.Intrinsics;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>Per-row scores of a fitted mixture: log-likelihood, responsibilities (predict_proba) and labels (predict).</summary>
public sealed class MixtureScorer(PreparedMixture model)
{
    public MixtureScorer(GaussianMixture mixture) : this(PreparedMixture.Prepare(mixture)) { }

    public PreparedMixture Model { get; } = model;

    /// <summary>
    /// Scores the block's rows. Any output may be empty to skip it; <paramref name="probabilities"/> is rows × K
    /// row-major. Returns the block's total log-likelihood.
    /// </summary>
    public double Score(RowBlock block, Span<double> logLikelihood, Span<double> probabilities, Span<int> labels)
    {
        if (block.Dimensions != Model.Dimensions) throw new ArgumentException($"rows have {block.Dimensions} columns, the model {Model.Dimensions}");
        return Score(block, logLikelihood, probabilities, labels, KernelPaths.Best);
    }

    internal double Score(RowBlock block, Span<double> logLikelihood, Span<double> probabilities, Span<int> labels, KernelPath path) => path switch
    {
        KernelPath.Vector512 => EStepKernels<Lanes512, Vector512<double>>.Score(Model, block, logLikelihood, probabilities, labels),
        KernelPath.Vector256 => EStepKernels<Lanes256, Vector256<double>>.Score(Model, block, logLikelihood, probabilities, labels),
        _ => EStepKernels<ScalarLanes, double>.Score(Model, block, logLikelihood, probabilities, labels),
    };
}
