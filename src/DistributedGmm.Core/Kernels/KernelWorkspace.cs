using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// One thread's buffers for the block kernels, reused from block to block and shard to shard: nothing in the
/// hot path allocates once they have grown to the largest model seen. Also holds the model laid out for the
/// kernels (dimensions padded to <see cref="BlockKernels{TOps,TV}.Tile"/>), rebuilt only when the model changes.
/// </summary>
internal sealed class KernelWorkspace
{
    [ThreadStatic] private static KernelWorkspace? _current;

    private PreparedMixture? _model;
    /// <summary>Tied's <see cref="Origin"/>: never written.</summary>
    private double[] _zeros = [];

    /// <summary>The block transposed: dp columns of <see cref="EStep.BlockRows"/> lanes.</summary>
    public readonly AlignedBuffer Rows = new();
    /// <summary>Tied: the block centred on <see cref="Reference"/>, dp columns.</summary>
    public readonly AlignedBuffer Centred = new();
    /// <summary>Full and tied: the block centred on one component's mean times its responsibilities, dp columns.</summary>
    public readonly AlignedBuffer Weighted = new();
    /// <summary>Tied: the block centred on <see cref="Reference"/> times the shared factor, dp columns.</summary>
    public readonly AlignedBuffer Transformed = new();
    /// <summary>K columns: log densities, then responsibilities.</summary>
    public readonly AlignedBuffer Columns = new();
    /// <summary>Spherical: K columns of ‖x − μ_k‖², the E-step's distances that the trace statistic reuses.</summary>
    public readonly AlignedBuffer Distances = new();
    public readonly AlignedBuffer RowLogLikelihood = new(EStep.BlockRows);
    /// <summary>Per row: Σ_k exp while normalising, then its inverse.</summary>
    public readonly AlignedBuffer RowSums = new(EStep.BlockRows);
    /// <summary>Per component: [n, s (dp), Q (tiles × 16, dp or 1)] lane partials.</summary>
    public readonly AlignedBuffer Partials = new();

    public int PaddedDimensions { get; private set; }
    public int PartialStride { get; private set; }
    public double[] Means = [];
    /// <summary>full: K × dp × dp; tied: dp × dp; diag: K × dp diagonals. Spherical's kernels take the model's K scalars.</summary>
    public double[] Factors = [];
    /// <summary>
    /// The mean of the component means (dp): tied's transform is centred on it, and full, diag and spherical blocks
    /// are moved to it (<see cref="Origin"/>), so that a one-FMA (x − μ)·u and full's xᵀU − μᵀU keep their
    /// digits far from the origin.
    /// </summary>
    public double[] Reference = [];
    /// <summary>Diag: −(μ_k − reference) ⊙ u_k per component (K × dp), so that (x − μ_k) ⊙ u_k is one multiply-add.</summary>
    public double[] ScaledMeans = [];

    /// <summary>
    /// What the transposition subtracts from each row (dp): full, diag and spherical <see cref="Reference"/> (their
    /// <see cref="Means"/> are moved by it too), tied zeros.
    /// </summary>
    public double[] Origin = [];
    /// <summary>
    /// Full and tied: (μ_k − reference)ᵀU_k per component (K × dp; tied's one U), so that
    /// (x − μ_k)ᵀU_k = (x − reference)ᵀU_k − this.
    /// </summary>
    public double[] TransformedMeans = [];
    /// <summary>Spherical: each component's precision u²; tied: ones (the transformed block is already scaled).</summary>
    public double[] Scales = [];

    public static KernelWorkspace For(PreparedMixture model)
    {
        var w = _current ??= new KernelWorkspace();
        w.Prepare(model);
        return w;
    }

    private void Prepare(PreparedMixture model)
    {
        if (ReferenceEquals(model, _model)) return;
        int k = model.Components, d = model.Dimensions;
        var tile = BlockKernels<ScalarLanes, double>.Tile;
        var dp = (d + tile - 1) / tile * tile;
        PaddedDimensions = dp;
        Rows.Grow(dp * EStep.BlockRows);
        if (SufficientStatistics.StoresFullSecondMoment(model.CovarianceType)) Weighted.Grow(dp * EStep.BlockRows);
        if (model.CovarianceType == CovarianceType.Tied)
        {
            Centred.Grow(dp * EStep.BlockRows);
            Transformed.Grow(dp * EStep.BlockRows);
        }
        Columns.Grow(k * EStep.BlockRows);
        if (model.CovarianceType == CovarianceType.Spherical) Distances.Grow(k * EStep.BlockRows);
        var second = model.CovarianceType switch
        {
            CovarianceType.Full or CovarianceType.Tied => BlockKernels<ScalarLanes, double>.TileCount(dp) * tile * tile,
            CovarianceType.Diag => dp,
            _ => 1,
        };
        PartialStride = (1 + dp + second) * KernelPaths.MaxWidth;
        Partials.Grow(k * PartialStride);

        Grow(ref Means, k * dp);
        Array.Clear(Means);
        for (var c = 0; c < k; c++) model.Means.AsSpan(c * d, d).CopyTo(Means.AsSpan(c * dp));
        Grow(ref Scales, k);
        for (var c = 0; c < k; c++)
            Scales[c] = model.CovarianceType == CovarianceType.Spherical ? model.PrecisionFactors[c] * model.PrecisionFactors[c] : 1;
        var centresBlock = model.CovarianceType is not CovarianceType.Tied;
        PrepareReference(model, dp);
        if (!centresBlock) Grow(ref _zeros, dp);
        Origin = centresBlock ? Reference : _zeros;
        if (centresBlock)
            for (var c = 0; c < k; c++)
            for (var a = 0; a < d; a++)
                Means[c * dp + a] -= Reference[a];
        var source = model.PrecisionFactors;
        switch (model.CovarianceType)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
                var matrices = model.CovarianceType == CovarianceType.Full ? k : 1;
                Grow(ref Factors, matrices * dp * dp);
                Array.Clear(Factors);
                for (var c = 0; c < matrices; c++)
                for (var a = 0; a < d; a++)
                    source.AsSpan((c * d + a) * d, d).CopyTo(Factors.AsSpan((c * dp + a) * dp));
                PrepareTransform(model, dp);
                break;
            case CovarianceType.Diag:
                Grow(ref Factors, k * dp);
                Grow(ref ScaledMeans, k * dp);
                Array.Clear(Factors);
                for (var c = 0; c < k; c++) source.AsSpan(c * d, d).CopyTo(Factors.AsSpan(c * dp));
                for (var i = 0; i < k * dp; i++) ScaledMeans[i] = -(Means[i] * Factors[i]);
                break;
        }
        _model = model;
    }

    private void PrepareReference(PreparedMixture model, int dp)
    {
        int k = model.Components, d = model.Dimensions;
        Grow(ref Reference, dp);
        Array.Clear(Reference);
        for (var a = 0; a < d; a++)
        {
            double sum = 0;
            for (var c = 0; c < k; c++) sum += model.Means[c * d + a];
            Reference[a] = sum / k;
        }
    }

    private void PrepareTransform(PreparedMixture model, int dp)
    {
        int k = model.Components, d = model.Dimensions;
        Grow(ref TransformedMeans, k * dp);
        Array.Clear(TransformedMeans);
        var shifted = new double[d];
        var factors = model.PrecisionFactors;
        var perComponent = model.CovarianceType == CovarianceType.Full;
        for (var c = 0; c < k; c++)
        {
            for (var a = 0; a < d; a++) shifted[a] = model.Means[c * d + a] - Reference[a];
            var upper = factors.AsSpan(perComponent ? c * d * d : 0, d * d);
            for (var b = 0; b < d; b++)
            {
                double sum = 0;
                for (var a = 0; a <= b; a++) sum += shifted[a] * upper[a * d + b];
                TransformedMeans[c * dp + b] = sum;
            }
        }
    }

    private static void Grow(ref double[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new double[length];
    }
}
