using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// The E-step block by block on one instruction set: transpose the block, weighted log densities per component,
/// log-sum-exp across components, then the shifted moments into lane partials, folded into the statistics once
/// per shard. See <see cref="BlockKernels{TOps,TV}"/> for the layouts.
/// </summary>
internal static class EStepKernels<TOps, TV>
    where TOps : struct, ILanes<TV>
    where TV : struct
{
    private const int Stride = EStep.BlockRows;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(PreparedMixture model, RowBlock shard, SufficientStatistics stats)
    {
        int k = model.Components, d = model.Dimensions, w = TOps.Width;
        var ws = KernelWorkspace.For(model);
        int dp = ws.PaddedDimensions, stride = ws.PartialStride;
        ws.Partials.AsSpan(0, k * stride).Clear();
        var full = SufficientStatistics.StoresFullSecondMoment(model.CovarianceType);
        ref var xt = ref Data(ws.Rows);
        ref var wt = ref Data(ws.Weighted);
        ref var columns = ref Data(ws.Columns);
        ref var means = ref Data(ws.Means);
        ref var partials = ref Data(ws.Partials);
        double logLikelihood = 0;
        double lowest = double.PositiveInfinity;
        var lowestRow = -1;
        var values = shard.Span;
        for (var start = 0; start < shard.Rows; start += Stride)
        {
            var count = Math.Min(Stride, shard.Rows - start);
            var rows = LogDensities(model, ws, values.Slice(start * d, count * d), count);
            BlockKernels<TOps, TV>.Normalize(ref columns, k, rows, ref Data(ws.RowLogLikelihood), ref Data(ws.RowSums));
            if (rows > count)
                for (var c = 0; c < k; c++) ws.Columns.AsSpan(c * Stride + count, rows - count).Clear();
            var rowLogLikelihood = ws.RowLogLikelihood.AsSpan(0, count);
            if (shard.Weights is { } weights)
            {
                var blockWeights = weights.AsSpan(start, count);
                logLikelihood += Weigh(ws, k, blockWeights);
                for (var i = 0; i < count; i++)
                    if (rowLogLikelihood[i] < lowest && blockWeights[i] != 0) (lowest, lowestRow) = (rowLogLikelihood[i], start + i);
            }
            else
            {
                logLikelihood = AddRows(rowLogLikelihood, start, logLikelihood, ref lowest, ref lowestRow);
            }
            for (var c = 0; c < k; c++)
            {
                PrefetchNext(values, start, d, c, k);
                ref var mean = ref Unsafe.Add(ref means, c * dp);
                ref var resp = ref Unsafe.Add(ref columns, c * Stride);
                ref var partial = ref Unsafe.Add(ref partials, c * stride);
                ref var first = ref Unsafe.Add(ref partial, w);
                ref var second = ref Unsafe.Add(ref partial, (1 + dp) * w);
                if (full)
                {
                    BlockKernels<TOps, TV>.WeightedFirstMoments(ref xt, ref mean, dp, rows, ref resp, ref wt, ref partial, ref first);
                    BlockKernels<TOps, TV>.TriangularMoments(ref xt, ref mean, ref wt, dp, rows, ref second);
                }
                else if (model.CovarianceType == CovarianceType.Spherical)
                {
                    BlockKernels<TOps, TV>.SphericalMoments(ref xt, ref mean, ref Unsafe.Add(ref Data(ws.Distances), c * Stride), dp, rows, ref resp, ref partial, ref first, ref second);
                }
                else
                {
                    BlockKernels<TOps, TV>.DiagonalMoments(ref xt, ref mean, dp, rows, ref resp, ref partial, ref first, ref second);
                }
            }
        }
        Fold(ws, stats, full);
        stats.Rows += shard.Rows;
        stats.Samples += shard.TotalWeight();
        stats.LogLikelihood += logLikelihood;
        if (lowestRow >= 0) stats.OfferLowest(lowest, shard.Row(lowestRow));
    }

    /// <summary>
    /// <paramref name="sum"/> plus the block's row log-likelihoods in row order, and the lowest of them (the first
    /// where several are equal) if below <paramref name="lowest"/>. A small method of its own, so that the JIT can keep
    /// the running sum and minimum in registers rather than among the E-step loop's many live references. Optimised
    /// on its first call, as the kernels are: a sampling profile found it still running unoptimised well into a fit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double AddRows(ReadOnlySpan<double> rowLogLikelihood, int start, double sum, ref double lowest, ref int lowestRow)
    {
        double least = lowest;
        var at = -1;
        for (var i = 0; i < rowLogLikelihood.Length; i++)
        {
            var value = rowLogLikelihood[i];
            sum += value;
            if (value < least) (least, at) = (value, i);
        }
        if (at >= 0) (lowest, lowestRow) = (least, start + at);
        return sum;
    }

    /// <summary>
    /// Asks for part <paramref name="part"/> of <paramref name="parts"/> of the block after the one at
    /// <paramref name="start"/> to be brought into the cache while this one is computed. Without it the transposition
    /// waits on memory at every block: the hardware's prefetcher does not bring the next block in during the current
    /// one's arithmetic. Asked for in one go, a block's lines are more than the core keeps in flight, and it stalls on
    /// the requests themselves (a sampling profile found most of <see cref="Accumulate"/>'s own time right after
    /// them), so <see cref="Accumulate"/> asks for a part before each component's moments.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchNext(ReadOnlySpan<double> values, int start, int d, int part = 0, int parts = 1)
    {
        if (!Sse.IsSupported) return;
        var next = (start + Stride) * d;
        var length = Math.Min(values.Length - next, Stride * d);
        if (length <= 0) return;
        var from = next + (int)((long)length * part / parts);
        var to = next + (int)((long)length * (part + 1) / parts);
        ref var first = ref MemoryMarshal.GetReference(values);
        const int perLine = 64 / sizeof(double);
        for (var i = from; i < to; i += perLine) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref first, i)));
    }

    /// <summary>
    /// Sample weights: each row's responsibilities times its weight, so every moment the kernels add next counts
    /// the row w_i times; returns the block's Σ w_i log p(x_i). A zero-weight row adds nothing, not even 0·(−∞).
    /// </summary>
    private static double Weigh(KernelWorkspace ws, int k, ReadOnlySpan<double> weights)
    {
        for (var c = 0; c < k; c++)
        {
            var column = ws.Columns.AsSpan(c * Stride, weights.Length);
            for (var i = 0; i < weights.Length; i++) column[i] *= weights[i];
        }
        var rowLogLikelihood = ws.RowLogLikelihood.AsSpan(0, weights.Length);
        double sum = 0;
        for (var i = 0; i < weights.Length; i++)
            if (weights[i] != 0) sum += weights[i] * rowLogLikelihood[i];
        return sum;
    }

    /// <summary>
    /// Transposes <paramref name="count"/> ≤ <see cref="EStep.BlockRows"/> rows into the workspace and writes their
    /// K columns of weighted log densities. Returns the rows computed: <paramref name="count"/> rounded up to the
    /// kernels' row quantum, the extra rows copies of the last one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int LogDensities(PreparedMixture model, KernelWorkspace ws, ReadOnlySpan<double> values, int count)
    {
        int k = model.Components, d = model.Dimensions, dp = ws.PaddedDimensions;
        var quantum = BlockKernels<TOps, TV>.RowQuantum;
        var rows = (count + quantum - 1) / quantum * quantum;
        var xt = ws.Rows;
        if (values.Length < count * d) throw new ArgumentException("fewer values than rows");
        ref var target = ref Data(xt);
        ref var source = ref MemoryMarshal.GetReference(values);
        Transpose(ref source, count, rows, d, ref Data(ws.Origin), ref target);
        for (var a = d; a < dp; a++) xt.AsSpan(a * Stride, rows).Clear();

        var constant = -0.5 * d * PreparedMixture.Log2Pi;
        ref var columns = ref Data(ws.Columns);
        ref var means = ref Data(ws.Means);
        ref var factors = ref Data(ws.Factors);
        ref var dt = ref Data(ws.Centred);
        ref var nothing = ref Unsafe.NullRef<double>();
        if (model.CovarianceType == CovarianceType.Tied)
        {
            // One product for every component: (x − μ_k)ᵀU = (x − reference)ᵀU − (μ_k − reference)ᵀU.
            BlockKernels<TOps, TV>.Centre(ref Data(xt), ref Data(ws.Reference), dp, rows, ref dt);
            BlockKernels<TOps, TV>.TriangularTransform(ref dt, ref factors, dp, rows, ref Data(ws.Transformed));
        }
        if (model.CovarianceType is CovarianceType.Spherical or CovarianceType.Tied)
        {
            // Four components a call (the kernel's register tile); tied's block and means are the transformed ones.
            var tied = model.CovarianceType == CovarianceType.Tied;
            ref var block = ref tied ? ref Data(ws.Transformed) : ref Data(xt);
            ref var centres = ref tied ? ref Data(ws.TransformedMeans) : ref means;
            for (var c = 0; c < k; c += 4)
                BlockKernels<TOps, TV>.DistanceLogDensities(ref block, ref Unsafe.Add(ref centres, c * dp), dp, Math.Min(4, k - c), d, rows,
                    ref Unsafe.Add(ref columns, c * Stride), ref tied ? ref nothing : ref Unsafe.Add(ref Data(ws.Distances), c * Stride),
                    ws.Scales.AsSpan(c), constant, model.LogDetPrecisionFactors.AsSpan(c), model.LogWeights.AsSpan(c));
            return rows;
        }
        for (var c = 0; c < k; c++)
        {
            ref var output = ref Unsafe.Add(ref columns, c * Stride);
            double logDet = model.LogDetPrecisionFactors[c], logWeight = model.LogWeights[c];
            if (model.CovarianceType == CovarianceType.Full)
                BlockKernels<TOps, TV>.TriangularLogDensity(ref Data(xt), ref Unsafe.Add(ref factors, c * dp * dp), ref Unsafe.Add(ref Data(ws.TransformedMeans), c * dp),
                    dp, rows, ref output, constant, logDet, logWeight);
            else
                BlockKernels<TOps, TV>.DiagonalLogDensity(ref Data(xt), ref Unsafe.Add(ref Data(ws.ScaledMeans), c * dp), ref Unsafe.Add(ref factors, c * dp), d, rows, ref output, constant, logDet, logWeight);
        }
        return rows;
    }

    /// <summary>
    /// The block's row-major values less <paramref name="origin"/> into d columns of <paramref name="rows"/> lanes:
    /// whole Width × Width tiles in registers, the rest one value at a time; rows past <paramref name="count"/>
    /// repeat the last row. The subtraction rides on the transposition's stores rather than costing a pass of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(ref double source, int count, int rows, int d, ref double origin, ref double target)
    {
        int w = TOps.Width, tiledRows = count / w * w, tiledColumns = d / w * w;
        for (var i = 0; i < tiledRows; i += w)
        for (var a = 0; a < tiledColumns; a += w)
            TOps.TransposeTile(ref Unsafe.Add(ref source, i * d + a), d, ref Unsafe.Add(ref origin, a), ref Unsafe.Add(ref target, a * Stride + i), Stride);
        for (var i = 0; i < rows; i++)
        {
            ref var row = ref Unsafe.Add(ref source, Math.Min(i, count - 1) * d);
            for (var a = i < tiledRows ? tiledColumns : 0; a < d; a++) Unsafe.Add(ref target, a * Stride + i) = Unsafe.Add(ref row, a) - Unsafe.Add(ref origin, a);
        }
    }

    /// <summary>Row-major rows × K weighted log densities, as <see cref="ComponentLogDensity"/> promises.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowLogDensities(PreparedMixture model, ReadOnlySpan<double> values, int rowCount, Span<double> output)
    {
        int k = model.Components, d = model.Dimensions;
        var ws = KernelWorkspace.For(model);
        for (var start = 0; start < rowCount; start += Stride)
        {
            var count = Math.Min(Stride, rowCount - start);
            LogDensities(model, ws, values.Slice(start * d, count * d), count);
            Scatter(ws.Columns, k, count, output.Slice(start * k, count * k));
        }
    }

    /// <summary>What <see cref="MixtureScorer"/> promises: per-row log-likelihoods, responsibilities, labels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Score(PreparedMixture model, RowBlock block, Span<double> logLikelihood, Span<double> probabilities, Span<int> labels)
    {
        int k = model.Components, d = model.Dimensions;
        var ws = KernelWorkspace.For(model);
        double total = 0;
        for (var start = 0; start < block.Rows; start += Stride)
        {
            var count = Math.Min(Stride, block.Rows - start);
            PrefetchNext(block.Span, start, d);
            var rows = LogDensities(model, ws, block.Span.Slice(start * d, count * d), count);
            BlockKernels<TOps, TV>.Normalize(ref Data(ws.Columns), k, rows, ref Data(ws.RowLogLikelihood), ref Data(ws.RowSums));
            for (var i = 0; i < count; i++) total += ws.RowLogLikelihood[i];
            if (!logLikelihood.IsEmpty) ws.RowLogLikelihood.AsSpan(0, count).CopyTo(logLikelihood.Slice(start, count));
            if (!probabilities.IsEmpty) Scatter(ws.Columns, k, count, probabilities.Slice(start * k, count * k));
            if (labels.IsEmpty) continue;
            for (var i = 0; i < count; i++)
            {
                var best = 0;
                for (var c = 1; c < k; c++) if (ws.Columns[c * Stride + i] > ws.Columns[best * Stride + i]) best = c;
                labels[start + i] = best;
            }
        }
        return total;
    }

    private static void Scatter(AlignedBuffer columns, int k, int count, Span<double> rowMajor)
    {
        for (var i = 0; i < count; i++)
        for (var c = 0; c < k; c++)
            rowMajor[i * k + c] = columns[c * Stride + i];
    }

    /// <summary>Adds the lane partials into <paramref name="stats"/>, lanes in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Fold(KernelWorkspace ws, SufficientStatistics stats, bool full)
    {
        int k = stats.Components, d = stats.Dimensions, dp = ws.PaddedDimensions, w = TOps.Width;
        const int tile = BlockKernels<TOps, TV>.Tile;
        var weights = stats.Weights;
        for (var c = 0; c < k; c++)
        {
            var partial = ws.Partials.AsSpan(c * ws.PartialStride);
            weights[c] += SumLanes(partial, 0, w);
            var s = stats.FirstMoment(c);
            for (var a = 0; a < d; a++) s[a] += SumLanes(partial, 1 + a, w);
            var q = stats.SecondMoment(c);
            var offset = 1 + dp;
            if (!full)
            {
                for (var a = 0; a < q.Length; a++) q[a] += SumLanes(partial, offset + a, w);
                continue;
            }
            for (var ta = 0; ta < dp; ta += tile)
            for (var tb = ta; tb < dp; tb += tile)
            {
                for (var i = 0; i < tile; i++)
                for (var j = 0; j < tile; j++)
                {
                    int a = ta + i, b = tb + j;
                    if (a <= b && b < d) q[SufficientStatistics.UpperIndex(a, b, d)] += SumLanes(partial, offset + i * tile + j, w);
                }
                offset += tile * tile;
            }
        }
    }

    private static double SumLanes(Span<double> partial, int vector, int width)
    {
        double sum = 0;
        for (var l = 0; l < width; l++) sum += partial[vector * width + l];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref double Data(double[] array) => ref MemoryMarshal.GetArrayDataReference(array);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref double Data(AlignedBuffer buffer) => ref buffer.Start;
}
