using System.Runtime.CompilerServices;
using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// The E-step's dense kernels over one block of rows held transposed: column a of the block is the run
/// <c>xt[a·Stride ..]</c>, one lane per row, so every product below is a small dense one vectorised over rows.
/// Register tiles are 4 row-vectors × 4 columns; dimensions are padded to <see cref="Tile"/> with zeros and rows to
/// 4 vectors (<see cref="RowQuantum"/>), so no kernel has a remainder loop.
/// Sums over rows go into lane partials (one per lane, each lane summing its own rows in row order) that are
/// folded lane by lane only once per shard: the result depends on the rows and the lane count alone.
/// The loops are optimised on their first call (AggressiveOptimization): under tiered compilation a fit's first
/// dozens of iterations would run them in slower intermediate code (tests/benchmarks/README.md).
/// </summary>
internal static class BlockKernels<TOps, TV>
    where TOps : struct, ILanes<TV>
    where TV : struct
{
    /// <summary>Distance between two columns of a transposed block.</summary>
    public const int Stride = EStep.BlockRows;

    public const int Tile = 4;

    /// <summary>Rows are processed in multiples of this.</summary>
    public static int RowQuantum => 4 * TOps.Width;

    /// <summary>
    /// out[i] = c − ½‖(x_i − μ)ᵀU‖² + logDet + logWeight for the block's rows, U upper triangular (dp × dp, padded
    /// with zeros), given the block xt = x − reference (dp columns) and <paramref name="transformedMean"/> =
    /// (μ − reference)ᵀU (dp): (x − μ)ᵀU = xtᵀU − that, so the block is never centred on each component's mean
    /// (scikit-learn's own form, X·U − μ·U, here about the mean of the means so that digits are lost only to the
    /// spread of the components, as in tied).
    /// </summary>
    public static void TriangularLogDensity(ref double xt, ref double upper, ref double transformedMean, int dp, int rows, ref double output, double constant, double logDet, double logWeight) =>
        TriangularProduct(ref xt, ref upper, ref transformedMean, dp, rows, ref Unsafe.NullRef<double>(), ref output, constant, logDet, logWeight);

    /// <summary>yt = dtᵀU (dp columns) for the block's rows: the one product tied shares between all components.</summary>
    public static void TriangularTransform(ref double dt, ref double upper, int dp, int rows, ref double yt) =>
        TriangularProduct(ref dt, ref upper, ref Unsafe.NullRef<double>(), dp, rows, ref yt, ref Unsafe.NullRef<double>(), 0, 0, 0);

    /// <summary>
    /// Stores dtᵀU into <paramref name="yt"/> when it is not null, else the log densities from the squared norm of
    /// dtᵀU − <paramref name="offset"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TriangularProduct(ref double dt, ref double upper, ref double offset, int dp, int rows, ref double yt, ref double output, double constant, double logDet, double logWeight)
    {
        var transform = !Unsafe.IsNullRef(ref yt);
        var w = TOps.Width;
        var half = TOps.Splat(-0.5);
        for (var i = 0; i < rows; i += 4 * w)
        {
            TV d0 = TOps.Zero, d1 = TOps.Zero, d2 = TOps.Zero, d3 = TOps.Zero;
            for (var b = 0; b < dp; b += Tile)
            {
                TV a00 = TOps.Zero, a01 = TOps.Zero, a02 = TOps.Zero, a03 = TOps.Zero;
                TV a10 = TOps.Zero, a11 = TOps.Zero, a12 = TOps.Zero, a13 = TOps.Zero;
                TV a20 = TOps.Zero, a21 = TOps.Zero, a22 = TOps.Zero, a23 = TOps.Zero;
                TV a30 = TOps.Zero, a31 = TOps.Zero, a32 = TOps.Zero, a33 = TOps.Zero;
                for (var a = 0; a <= b; a++)
                {
                    ref var x = ref Unsafe.Add(ref dt, a * Stride + i);
                    var x0 = TOps.Load(ref x);
                    var x1 = TOps.Load(ref Unsafe.Add(ref x, w));
                    var x2 = TOps.Load(ref Unsafe.Add(ref x, 2 * w));
                    var x3 = TOps.Load(ref Unsafe.Add(ref x, 3 * w));
                    ref var u = ref Unsafe.Add(ref upper, a * dp + b);
                    var u0 = TOps.Splat(u);
                    var u1 = TOps.Splat(Unsafe.Add(ref u, 1));
                    var u2 = TOps.Splat(Unsafe.Add(ref u, 2));
                    var u3 = TOps.Splat(Unsafe.Add(ref u, 3));
                    a00 = TOps.MultiplyAdd(x0, u0, a00); a01 = TOps.MultiplyAdd(x0, u1, a01); a02 = TOps.MultiplyAdd(x0, u2, a02); a03 = TOps.MultiplyAdd(x0, u3, a03);
                    a10 = TOps.MultiplyAdd(x1, u0, a10); a11 = TOps.MultiplyAdd(x1, u1, a11); a12 = TOps.MultiplyAdd(x1, u2, a12); a13 = TOps.MultiplyAdd(x1, u3, a13);
                    a20 = TOps.MultiplyAdd(x2, u0, a20); a21 = TOps.MultiplyAdd(x2, u1, a21); a22 = TOps.MultiplyAdd(x2, u2, a22); a23 = TOps.MultiplyAdd(x2, u3, a23);
                    a30 = TOps.MultiplyAdd(x3, u0, a30); a31 = TOps.MultiplyAdd(x3, u1, a31); a32 = TOps.MultiplyAdd(x3, u2, a32); a33 = TOps.MultiplyAdd(x3, u3, a33);
                }
                // The rest of the diagonal tile: U is upper triangular, so its row b + j starts at column b + j and
                // the products with the zeros left of it (which would add exact zeros) are not taken.
                for (var j = 1; j < Tile; j++)
                {
                    ref var x = ref Unsafe.Add(ref dt, (b + j) * Stride + i);
                    var x0 = TOps.Load(ref x);
                    var x1 = TOps.Load(ref Unsafe.Add(ref x, w));
                    var x2 = TOps.Load(ref Unsafe.Add(ref x, 2 * w));
                    var x3 = TOps.Load(ref Unsafe.Add(ref x, 3 * w));
                    ref var u = ref Unsafe.Add(ref upper, (b + j) * dp + b);
                    var u3 = TOps.Splat(Unsafe.Add(ref u, 3));
                    a03 = TOps.MultiplyAdd(x0, u3, a03); a13 = TOps.MultiplyAdd(x1, u3, a13); a23 = TOps.MultiplyAdd(x2, u3, a23); a33 = TOps.MultiplyAdd(x3, u3, a33);
                    if (j == 3) continue;
                    var u2 = TOps.Splat(Unsafe.Add(ref u, 2));
                    a02 = TOps.MultiplyAdd(x0, u2, a02); a12 = TOps.MultiplyAdd(x1, u2, a12); a22 = TOps.MultiplyAdd(x2, u2, a22); a32 = TOps.MultiplyAdd(x3, u2, a32);
                    if (j == 2) continue;
                    var u1 = TOps.Splat(Unsafe.Add(ref u, 1));
                    a01 = TOps.MultiplyAdd(x0, u1, a01); a11 = TOps.MultiplyAdd(x1, u1, a11); a21 = TOps.MultiplyAdd(x2, u1, a21); a31 = TOps.MultiplyAdd(x3, u1, a31);
                }
                if (transform)
                {
                    ref var y = ref Unsafe.Add(ref yt, b * Stride + i);
                    StoreRow(ref y, w, a00, a10, a20, a30);
                    StoreRow(ref Unsafe.Add(ref y, Stride), w, a01, a11, a21, a31);
                    StoreRow(ref Unsafe.Add(ref y, 2 * Stride), w, a02, a12, a22, a32);
                    StoreRow(ref Unsafe.Add(ref y, 3 * Stride), w, a03, a13, a23, a33);
                    continue;
                }
                ref var o = ref Unsafe.Add(ref offset, b);
                TV o0 = TOps.Splat(o), o1 = TOps.Splat(Unsafe.Add(ref o, 1)), o2 = TOps.Splat(Unsafe.Add(ref o, 2)), o3 = TOps.Splat(Unsafe.Add(ref o, 3));
                d0 = SquaredNorm(d0, TOps.Subtract(a00, o0), TOps.Subtract(a01, o1), TOps.Subtract(a02, o2), TOps.Subtract(a03, o3));
                d1 = SquaredNorm(d1, TOps.Subtract(a10, o0), TOps.Subtract(a11, o1), TOps.Subtract(a12, o2), TOps.Subtract(a13, o3));
                d2 = SquaredNorm(d2, TOps.Subtract(a20, o0), TOps.Subtract(a21, o1), TOps.Subtract(a22, o2), TOps.Subtract(a23, o3));
                d3 = SquaredNorm(d3, TOps.Subtract(a30, o0), TOps.Subtract(a31, o1), TOps.Subtract(a32, o2), TOps.Subtract(a33, o3));
            }
            if (!transform) StoreLogDensities(ref Unsafe.Add(ref output, i), half, d0, d1, d2, d3, constant, logDet, logWeight);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref double target, int w, TV v0, TV v1, TV v2, TV v3)
    {
        TOps.Store(v0, ref target);
        TOps.Store(v1, ref Unsafe.Add(ref target, w));
        TOps.Store(v2, ref Unsafe.Add(ref target, 2 * w));
        TOps.Store(v3, ref Unsafe.Add(ref target, 3 * w));
    }

    /// <summary>
    /// As <see cref="TriangularLogDensity"/> for a diagonal U (d entries) from the uncentred block, given
    /// <paramref name="mean"/> = −μ ⊙ u: (x − μ) ⊙ u is one multiply-add a dimension.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DiagonalLogDensity(ref double xt, ref double mean, ref double factors, int d, int rows, ref double output, double constant, double logDet, double logWeight)
    {
        var w = TOps.Width;
        var half = TOps.Splat(-0.5);
        for (var i = 0; i < rows; i += 4 * w)
        {
            // Even and odd dimensions into separate sums: eight independent chains keep both FMA pipes busy where
            // four would wait on each other's latency.
            TV e0 = TOps.Zero, e1 = TOps.Zero, e2 = TOps.Zero, e3 = TOps.Zero;
            TV o0 = TOps.Zero, o1 = TOps.Zero, o2 = TOps.Zero, o3 = TOps.Zero;
            var a = 0;
            for (; a + 1 < d; a += 2)
            {
                AddScaledSquares(ref Unsafe.Add(ref xt, a * Stride + i), ref mean, ref factors, a, ref e0, ref e1, ref e2, ref e3);
                AddScaledSquares(ref Unsafe.Add(ref xt, (a + 1) * Stride + i), ref mean, ref factors, a + 1, ref o0, ref o1, ref o2, ref o3);
            }
            if (a < d) AddScaledSquares(ref Unsafe.Add(ref xt, a * Stride + i), ref mean, ref factors, a, ref e0, ref e1, ref e2, ref e3);
            StoreLogDensities(ref Unsafe.Add(ref output, i), half, TOps.Add(e0, o0), TOps.Add(e1, o1), TOps.Add(e2, o2), TOps.Add(e3, o3), constant, logDet, logWeight);
        }
    }

    /// <summary>Adds (x_a·u_a + m_a)² (m_a = −μ_a·u_a) for four row vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledSquares(ref double x, ref double mean, ref double factors, int a, ref TV d0, ref TV d1, ref TV d2, ref TV d3)
    {
        var m = TOps.Splat(Unsafe.Add(ref mean, a));
        var u = TOps.Splat(Unsafe.Add(ref factors, a));
        LoadRowVectors(ref x, TOps.Width, out var x0, out var x1, out var x2, out var x3);
        var z0 = TOps.MultiplyAdd(x0, u, m);
        d0 = TOps.MultiplyAdd(z0, z0, d0);
        var z1 = TOps.MultiplyAdd(x1, u, m);
        d1 = TOps.MultiplyAdd(z1, z1, d1);
        var z2 = TOps.MultiplyAdd(x2, u, m);
        d2 = TOps.MultiplyAdd(z2, z2, d2);
        var z3 = TOps.MultiplyAdd(x3, u, m);
        d3 = TOps.MultiplyAdd(z3, z3, d3);
    }

    /// <summary>
    /// out_c[i] = c − ½·s_c·‖x_i − μ_c‖² + logDet_c + logWeight_c for <paramref name="count"/> ≤ 4 components at once
    /// (means <paramref name="meanStride"/> apart, outputs and distances <see cref="Stride"/> apart, s, logDet and
    /// logWeight from the spans' starts): spherical on the block, tied on the transformed block (s = 1). Register
    /// tiles of four row vectors by the components, so that each row vector is loaded once for all of them. Each
    /// distance is one sum over the dimensions in order (a lone component's, even and odd dimensions apart, then the
    /// two added), and goes to <paramref name="distances"/> when that is not null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DistanceLogDensities(ref double xt, ref double mean, int meanStride, int count, int d, int rows, ref double output, ref double distances, ReadOnlySpan<double> scales, double constant, ReadOnlySpan<double> logDets, ReadOnlySpan<double> logWeights)
    {
        var keep = !Unsafe.IsNullRef(ref distances);
        var w = TOps.Width;
        var half = TOps.Splat(-0.5);
        ref var mean1 = ref count > 1 ? ref Unsafe.Add(ref mean, meanStride) : ref mean;
        ref var mean2 = ref count > 2 ? ref Unsafe.Add(ref mean, 2 * meanStride) : ref mean;
        ref var mean3 = ref count > 3 ? ref Unsafe.Add(ref mean, 3 * meanStride) : ref mean;
        for (var i = 0; i < rows; i += 4 * w)
        {
            TV a00 = TOps.Zero, a10 = TOps.Zero, a20 = TOps.Zero, a30 = TOps.Zero;
            TV a01 = TOps.Zero, a11 = TOps.Zero, a21 = TOps.Zero, a31 = TOps.Zero;
            TV a02 = TOps.Zero, a12 = TOps.Zero, a22 = TOps.Zero, a32 = TOps.Zero;
            TV a03 = TOps.Zero, a13 = TOps.Zero, a23 = TOps.Zero, a33 = TOps.Zero;
            if (count == 1)
            {
                // A lone component: even and odd dimensions into separate sums, added at the end, so that eight
                // chains rather than four keep the pipes busy.
                for (var a = 0; a < d; a++)
                {
                    LoadRowVectors(ref Unsafe.Add(ref xt, a * Stride + i), w, out var x0, out var x1, out var x2, out var x3);
                    var m = TOps.Splat(Unsafe.Add(ref mean, a));
                    if (a % 2 == 0) AddSquares(x0, x1, x2, x3, m, ref a00, ref a10, ref a20, ref a30);
                    else AddSquares(x0, x1, x2, x3, m, ref a01, ref a11, ref a21, ref a31);
                }
                (a00, a10, a20, a30) = (TOps.Add(a00, a01), TOps.Add(a10, a11), TOps.Add(a20, a21), TOps.Add(a30, a31));
            }
            else
            {
                for (var a = 0; a < d; a++)
                {
                    LoadRowVectors(ref Unsafe.Add(ref xt, a * Stride + i), w, out var x0, out var x1, out var x2, out var x3);
                    AddSquares(x0, x1, x2, x3, TOps.Splat(Unsafe.Add(ref mean, a)), ref a00, ref a10, ref a20, ref a30);
                    AddSquares(x0, x1, x2, x3, TOps.Splat(Unsafe.Add(ref mean1, a)), ref a01, ref a11, ref a21, ref a31);
                    if (count > 2) AddSquares(x0, x1, x2, x3, TOps.Splat(Unsafe.Add(ref mean2, a)), ref a02, ref a12, ref a22, ref a32);
                    if (count > 3) AddSquares(x0, x1, x2, x3, TOps.Splat(Unsafe.Add(ref mean3, a)), ref a03, ref a13, ref a23, ref a33);
                }
            }
            ref var o = ref Unsafe.Add(ref output, i);
            ref var t = ref keep ? ref Unsafe.Add(ref distances, i) : ref distances;
            StoreDistanceLogDensities(a00, a10, a20, a30, keep, scales[0], half, constant, logDets[0], logWeights[0], ref o, ref t);
            if (count > 1) StoreDistanceLogDensities(a01, a11, a21, a31, keep, scales[1], half, constant, logDets[1], logWeights[1], ref Unsafe.Add(ref o, Stride), ref keep ? ref Unsafe.Add(ref t, Stride) : ref t);
            if (count > 2) StoreDistanceLogDensities(a02, a12, a22, a32, keep, scales[2], half, constant, logDets[2], logWeights[2], ref Unsafe.Add(ref o, 2 * Stride), ref keep ? ref Unsafe.Add(ref t, 2 * Stride) : ref t);
            if (count > 3) StoreDistanceLogDensities(a03, a13, a23, a33, keep, scales[3], half, constant, logDets[3], logWeights[3], ref Unsafe.Add(ref o, 3 * Stride), ref keep ? ref Unsafe.Add(ref t, 3 * Stride) : ref t);
        }
    }

    /// <summary>Adds (x − m)² for four row vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSquares(TV x0, TV x1, TV x2, TV x3, TV m, ref TV d0, ref TV d1, ref TV d2, ref TV d3)
    {
        var z0 = TOps.Subtract(x0, m);
        d0 = TOps.MultiplyAdd(z0, z0, d0);
        var z1 = TOps.Subtract(x1, m);
        d1 = TOps.MultiplyAdd(z1, z1, d1);
        var z2 = TOps.Subtract(x2, m);
        d2 = TOps.MultiplyAdd(z2, z2, d2);
        var z3 = TOps.Subtract(x3, m);
        d3 = TOps.MultiplyAdd(z3, z3, d3);
    }

    /// <summary>The squared distances of four row vectors to <paramref name="distances"/> if kept, then their log densities at scale s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDistanceLogDensities(TV d0, TV d1, TV d2, TV d3, bool keep, double scale, TV half, double constant, double logDet, double logWeight, ref double output, ref double distances)
    {
        if (keep) StoreRow(ref distances, TOps.Width, d0, d1, d2, d3);
        var s = TOps.Splat(scale);
        StoreLogDensities(ref output, half, TOps.Multiply(d0, s), TOps.Multiply(d1, s), TOps.Multiply(d2, s), TOps.Multiply(d3, s), constant, logDet, logWeight);
    }

    /// <summary>Four consecutive row vectors of one column of a transposed block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRowVectors(ref double x, int w, out TV x0, out TV x1, out TV x2, out TV x3)
    {
        x0 = TOps.Load(ref x);
        x1 = TOps.Load(ref Unsafe.Add(ref x, w));
        x2 = TOps.Load(ref Unsafe.Add(ref x, 2 * w));
        x3 = TOps.Load(ref Unsafe.Add(ref x, 3 * w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SquaredNorm(TV sum, TV y0, TV y1, TV y2, TV y3) =>
        TOps.MultiplyAdd(y3, y3, TOps.MultiplyAdd(y2, y2, TOps.MultiplyAdd(y1, y1, TOps.MultiplyAdd(y0, y0, sum))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLogDensities(ref double output, TV half, TV d0, TV d1, TV d2, TV d3, double constant, double logDet, double logWeight)
    {
        var w = TOps.Width;
        TOps.Store(LogDensity(half, d0, constant, logDet, logWeight), ref output);
        TOps.Store(LogDensity(half, d1, constant, logDet, logWeight), ref Unsafe.Add(ref output, w));
        TOps.Store(LogDensity(half, d2, constant, logDet, logWeight), ref Unsafe.Add(ref output, 2 * w));
        TOps.Store(LogDensity(half, d3, constant, logDet, logWeight), ref Unsafe.Add(ref output, 3 * w));
    }

    // The scalar formula's order: ((c − ½·distance) + log det) + log w.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogDensity(TV half, TV distance, double constant, double logDet, double logWeight) =>
        TOps.Add(TOps.Add(TOps.MultiplyAdd(half, distance, TOps.Splat(constant)), TOps.Splat(logDet)), TOps.Splat(logWeight));

    /// <summary>
    /// In place over K columns of log densities (column c at <c>c·Stride</c>): responsibilities, and each row's
    /// log Σ_k exp into <paramref name="rowLogLikelihood"/>. Component by component over all the block's rows, so
    /// that the many independent exponentials overlap instead of one row's K waiting on each other, and nothing else
    /// in that loop waits on them; each row then sums its K terms in component order.
    /// <paramref name="sums"/> (one per row) is scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(ref double logDensities, int components, int rows, ref double rowLogLikelihood, ref double sums)
    {
        var w = TOps.Width;
        ref var max = ref rowLogLikelihood;
        for (var i = 0; i < rows; i += w)
        {
            ref var column = ref Unsafe.Add(ref logDensities, i);
            var m = TOps.Load(ref column);
            for (var c = 1; c < components; c++) m = TOps.Max(m, TOps.Load(ref Unsafe.Add(ref column, c * Stride)));
            TOps.Store(m, ref Unsafe.Add(ref max, i));
        }
        for (var c = 0; c < components; c++)
        {
            ref var column = ref Unsafe.Add(ref logDensities, c * Stride);
            for (var i = 0; i < rows; i += w)
            {
                ref var v = ref Unsafe.Add(ref column, i);
                TOps.Store(TOps.Exp(TOps.Subtract(TOps.Load(ref v), TOps.Load(ref Unsafe.Add(ref max, i)))), ref v);
            }
        }
        var one = TOps.Splat(1);
        for (var i = 0; i < rows; i += w)
        {
            ref var column = ref Unsafe.Add(ref logDensities, i);
            var total = TOps.Load(ref column);
            for (var c = 1; c < components; c++) total = TOps.Add(total, TOps.Load(ref Unsafe.Add(ref column, c * Stride)));
            TOps.Store(TOps.Add(TOps.Load(ref Unsafe.Add(ref max, i)), TOps.Log(total)), ref Unsafe.Add(ref rowLogLikelihood, i));
            TOps.Store(TOps.Divide(one, total), ref Unsafe.Add(ref sums, i));
        }
        for (var c = 0; c < components; c++)
        {
            ref var column = ref Unsafe.Add(ref logDensities, c * Stride);
            for (var i = 0; i < rows; i += w)
            {
                ref var v = ref Unsafe.Add(ref column, i);
                TOps.Store(TOps.Multiply(TOps.Load(ref v), TOps.Load(ref Unsafe.Add(ref sums, i))), ref v);
            }
        }
    }

    /// <summary>dt = x − m (dp columns): tied's block, centred once for every component.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Centre(ref double xt, ref double mean, int dp, int rows, ref double dt)
    {
        var w = TOps.Width;
        for (var a = 0; a < dp; a++)
        {
            var m = TOps.Splat(Unsafe.Add(ref mean, a));
            for (var i = 0; i < rows; i += w)
            {
                var index = a * Stride + i;
                TOps.Store(TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xt, index)), m), ref Unsafe.Add(ref dt, index));
            }
        }
    }

    /// <summary>
    /// wt = r ⊙ (x − m) (dp columns) for one component, and n += Σ r, s += Σ r·(x − m) into lane partials (1 and dp
    /// vectors). The centred block itself is not stored: <see cref="TriangularMoments"/> takes x − m as it loads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedFirstMoments(ref double xt, ref double mean, int dp, int rows, ref double resp, ref double weighted, ref double weightPartial, ref double firstPartial)
    {
        var w = TOps.Width;
        // Σ r rides on the first pass over the rows: a loop of its own would be one chain waiting on its latency every row.
        var n = TOps.Load(ref weightPartial);
        // Four dimensions a pass over the rows: four independent sums, where one would wait on its own latency every row.
        for (var a = 0; a < dp; a += Tile)
        {
            ref var m = ref Unsafe.Add(ref mean, a);
            TV m0 = TOps.Splat(m), m1 = TOps.Splat(Unsafe.Add(ref m, 1)), m2 = TOps.Splat(Unsafe.Add(ref m, 2)), m3 = TOps.Splat(Unsafe.Add(ref m, 3));
            ref var sp = ref Unsafe.Add(ref firstPartial, a * w);
            TV s0 = TOps.Load(ref sp), s1 = TOps.Load(ref Unsafe.Add(ref sp, w)), s2 = TOps.Load(ref Unsafe.Add(ref sp, 2 * w)), s3 = TOps.Load(ref Unsafe.Add(ref sp, 3 * w));
            ref var x = ref Unsafe.Add(ref xt, a * Stride);
            ref var v = ref Unsafe.Add(ref weighted, a * Stride);
            for (var i = 0; i < rows; i += w)
            {
                var r = TOps.Load(ref Unsafe.Add(ref resp, i));
                if (a == 0) n = TOps.Add(n, r);
                s0 = WeightedStep(ref Unsafe.Add(ref x, i), m0, r, ref Unsafe.Add(ref v, i), s0);
                s1 = WeightedStep(ref Unsafe.Add(ref x, Stride + i), m1, r, ref Unsafe.Add(ref v, Stride + i), s1);
                s2 = WeightedStep(ref Unsafe.Add(ref x, 2 * Stride + i), m2, r, ref Unsafe.Add(ref v, 2 * Stride + i), s2);
                s3 = WeightedStep(ref Unsafe.Add(ref x, 3 * Stride + i), m3, r, ref Unsafe.Add(ref v, 3 * Stride + i), s3);
            }
            StoreRow(ref sp, w, s0, s1, s2, s3);
        }
        TOps.Store(n, ref weightPartial);
    }

    /// <summary>Stores r·(x − m) for one row vector of one dimension; returns the sum plus it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV WeightedStep(ref double x, TV mean, TV r, ref double weighted, TV sum)
    {
        var product = TOps.Multiply(r, TOps.Subtract(TOps.Load(ref x), mean));
        TOps.Store(product, ref weighted);
        return TOps.Add(sum, product);
    }

    /// <summary>
    /// Q += Σ_i wt_i (x_i − m)ᵀ over the upper tile triangle: tiles (ta ≤ tb) of 4 × 4 lane partials, in that order
    /// (<see cref="TileCount"/> tiles × 16 vectors). x − m is taken as the block is loaded rather than stored
    /// beforehand: the subtractions go to the adders, which the multiply-adds leave idle, and a store a value is saved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TriangularMoments(ref double xt, ref double mean, ref double weighted, int dp, int rows, ref double partial)
    {
        var w = TOps.Width;
        var vectors = 0;
        for (var ta = 0; ta < dp; ta += Tile)
        for (var tb = ta; tb < dp; tb += Tile)
        {
            ref var q = ref Unsafe.Add(ref partial, vectors * w);
            vectors += Tile * Tile;
            TV a00 = TOps.Load(ref q), a01 = TOps.Load(ref Unsafe.Add(ref q, w)), a02 = TOps.Load(ref Unsafe.Add(ref q, 2 * w)), a03 = TOps.Load(ref Unsafe.Add(ref q, 3 * w));
            TV a10 = TOps.Load(ref Unsafe.Add(ref q, 4 * w)), a11 = TOps.Load(ref Unsafe.Add(ref q, 5 * w)), a12 = TOps.Load(ref Unsafe.Add(ref q, 6 * w)), a13 = TOps.Load(ref Unsafe.Add(ref q, 7 * w));
            TV a20 = TOps.Load(ref Unsafe.Add(ref q, 8 * w)), a21 = TOps.Load(ref Unsafe.Add(ref q, 9 * w)), a22 = TOps.Load(ref Unsafe.Add(ref q, 10 * w)), a23 = TOps.Load(ref Unsafe.Add(ref q, 11 * w));
            TV a30 = TOps.Load(ref Unsafe.Add(ref q, 12 * w)), a31 = TOps.Load(ref Unsafe.Add(ref q, 13 * w)), a32 = TOps.Load(ref Unsafe.Add(ref q, 14 * w)), a33 = TOps.Load(ref Unsafe.Add(ref q, 15 * w));
            ref var left = ref Unsafe.Add(ref weighted, ta * Stride);
            ref var right = ref Unsafe.Add(ref xt, tb * Stride);
            ref var m = ref Unsafe.Add(ref mean, tb);
            TV m0 = TOps.Splat(m), m1 = TOps.Splat(Unsafe.Add(ref m, 1)), m2 = TOps.Splat(Unsafe.Add(ref m, 2)), m3 = TOps.Splat(Unsafe.Add(ref m, 3));
            // A diagonal tile's entries below its diagonal are never read (Q is symmetric): only its upper ten are summed.
            if (ta == tb)
            {
                for (var i = 0; i < rows; i += w)
                {
                    LoadFour(ref Unsafe.Add(ref left, i), out var w0, out var w1, out var w2, out var w3);
                    LoadFour(ref Unsafe.Add(ref right, i), out var x0, out var x1, out var x2, out var x3);
                    (x0, x1, x2, x3) = (TOps.Subtract(x0, m0), TOps.Subtract(x1, m1), TOps.Subtract(x2, m2), TOps.Subtract(x3, m3));
                    a00 = TOps.MultiplyAdd(w0, x0, a00); a01 = TOps.MultiplyAdd(w0, x1, a01); a02 = TOps.MultiplyAdd(w0, x2, a02); a03 = TOps.MultiplyAdd(w0, x3, a03);
                    a11 = TOps.MultiplyAdd(w1, x1, a11); a12 = TOps.MultiplyAdd(w1, x2, a12); a13 = TOps.MultiplyAdd(w1, x3, a13);
                    a22 = TOps.MultiplyAdd(w2, x2, a22); a23 = TOps.MultiplyAdd(w2, x3, a23);
                    a33 = TOps.MultiplyAdd(w3, x3, a33);
                }
            }
            else
            {
                for (var i = 0; i < rows; i += w)
                {
                    LoadFour(ref Unsafe.Add(ref left, i), out var w0, out var w1, out var w2, out var w3);
                    LoadFour(ref Unsafe.Add(ref right, i), out var x0, out var x1, out var x2, out var x3);
                    (x0, x1, x2, x3) = (TOps.Subtract(x0, m0), TOps.Subtract(x1, m1), TOps.Subtract(x2, m2), TOps.Subtract(x3, m3));
                    a00 = TOps.MultiplyAdd(w0, x0, a00); a01 = TOps.MultiplyAdd(w0, x1, a01); a02 = TOps.MultiplyAdd(w0, x2, a02); a03 = TOps.MultiplyAdd(w0, x3, a03);
                    a10 = TOps.MultiplyAdd(w1, x0, a10); a11 = TOps.MultiplyAdd(w1, x1, a11); a12 = TOps.MultiplyAdd(w1, x2, a12); a13 = TOps.MultiplyAdd(w1, x3, a13);
                    a20 = TOps.MultiplyAdd(w2, x0, a20); a21 = TOps.MultiplyAdd(w2, x1, a21); a22 = TOps.MultiplyAdd(w2, x2, a22); a23 = TOps.MultiplyAdd(w2, x3, a23);
                    a30 = TOps.MultiplyAdd(w3, x0, a30); a31 = TOps.MultiplyAdd(w3, x1, a31); a32 = TOps.MultiplyAdd(w3, x2, a32); a33 = TOps.MultiplyAdd(w3, x3, a33);
                }
            }
            TOps.Store(a00, ref q); TOps.Store(a01, ref Unsafe.Add(ref q, w)); TOps.Store(a02, ref Unsafe.Add(ref q, 2 * w)); TOps.Store(a03, ref Unsafe.Add(ref q, 3 * w));
            TOps.Store(a10, ref Unsafe.Add(ref q, 4 * w)); TOps.Store(a11, ref Unsafe.Add(ref q, 5 * w)); TOps.Store(a12, ref Unsafe.Add(ref q, 6 * w)); TOps.Store(a13, ref Unsafe.Add(ref q, 7 * w));
            TOps.Store(a20, ref Unsafe.Add(ref q, 8 * w)); TOps.Store(a21, ref Unsafe.Add(ref q, 9 * w)); TOps.Store(a22, ref Unsafe.Add(ref q, 10 * w)); TOps.Store(a23, ref Unsafe.Add(ref q, 11 * w));
            TOps.Store(a30, ref Unsafe.Add(ref q, 12 * w)); TOps.Store(a31, ref Unsafe.Add(ref q, 13 * w)); TOps.Store(a32, ref Unsafe.Add(ref q, 14 * w)); TOps.Store(a33, ref Unsafe.Add(ref q, 15 * w));
        }
    }

    /// <summary>
    /// The diagonal statistics straight from the uncentred block: n += Σ r, s_a += Σ r·(x_a − m_a),
    /// q_a += Σ r·(x_a − m_a)² into lane partials (1, dp and dp vectors), four dimensions per pass over the rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DiagonalMoments(ref double xt, ref double mean, int dp, int rows, ref double resp, ref double weightPartial, ref double firstPartial, ref double secondPartial)
    {
        var w = TOps.Width;
        // Σ r rides on the first pass over the rows: a loop of its own would be one chain waiting on its latency every row.
        var n = TOps.Load(ref weightPartial);
        for (var a = 0; a < dp; a += Tile)
        {
            var m0 = TOps.Splat(Unsafe.Add(ref mean, a));
            var m1 = TOps.Splat(Unsafe.Add(ref mean, a + 1));
            var m2 = TOps.Splat(Unsafe.Add(ref mean, a + 2));
            var m3 = TOps.Splat(Unsafe.Add(ref mean, a + 3));
            ref var sp = ref Unsafe.Add(ref firstPartial, a * w);
            ref var qp = ref Unsafe.Add(ref secondPartial, a * w);
            TV s0 = TOps.Load(ref sp), s1 = TOps.Load(ref Unsafe.Add(ref sp, w)), s2 = TOps.Load(ref Unsafe.Add(ref sp, 2 * w)), s3 = TOps.Load(ref Unsafe.Add(ref sp, 3 * w));
            TV q0 = TOps.Load(ref qp), q1 = TOps.Load(ref Unsafe.Add(ref qp, w)), q2 = TOps.Load(ref Unsafe.Add(ref qp, 2 * w)), q3 = TOps.Load(ref Unsafe.Add(ref qp, 3 * w));
            ref var x = ref Unsafe.Add(ref xt, a * Stride);
            for (var i = 0; i < rows; i += w)
            {
                var r = TOps.Load(ref Unsafe.Add(ref resp, i));
                if (a == 0) n = TOps.Add(n, r);
                ref var xi = ref Unsafe.Add(ref x, i);
                Moment(TOps.Load(ref xi), m0, r, ref s0, ref q0);
                Moment(TOps.Load(ref Unsafe.Add(ref xi, Stride)), m1, r, ref s1, ref q1);
                Moment(TOps.Load(ref Unsafe.Add(ref xi, 2 * Stride)), m2, r, ref s2, ref q2);
                Moment(TOps.Load(ref Unsafe.Add(ref xi, 3 * Stride)), m3, r, ref s3, ref q3);
            }
            TOps.Store(s0, ref sp); TOps.Store(s1, ref Unsafe.Add(ref sp, w)); TOps.Store(s2, ref Unsafe.Add(ref sp, 2 * w)); TOps.Store(s3, ref Unsafe.Add(ref sp, 3 * w));
            TOps.Store(q0, ref qp); TOps.Store(q1, ref Unsafe.Add(ref qp, w)); TOps.Store(q2, ref Unsafe.Add(ref qp, 2 * w)); TOps.Store(q3, ref Unsafe.Add(ref qp, 3 * w));
        }
        TOps.Store(n, ref weightPartial);
    }

    /// <summary>
    /// The spherical statistics: n += Σ r, s_a += Σ r·(x_a − m_a) and the trace q += Σ r·‖x − m‖² from the
    /// distances the E-step kept, into lane partials (1, dp and 1 vectors): one multiply-add a dimension.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SphericalMoments(ref double xt, ref double mean, ref double distances, int dp, int rows, ref double resp, ref double weightPartial, ref double firstPartial, ref double secondPartial)
    {
        var w = TOps.Width;
        // Σ r and the trace ride on the first pass over the rows: a loop of their own would be two chains waiting on
        // their latency every row.
        TV n = TOps.Load(ref weightPartial), q = TOps.Load(ref secondPartial);
        // Eight dimensions a pass over the rows where there are eight: eight independent multiply-add chains.
        var a = 0;
        for (; a + 2 * Tile <= dp; a += 2 * Tile)
        {
            ref var m = ref Unsafe.Add(ref mean, a);
            TV m0 = TOps.Splat(m), m1 = TOps.Splat(Unsafe.Add(ref m, 1)), m2 = TOps.Splat(Unsafe.Add(ref m, 2)), m3 = TOps.Splat(Unsafe.Add(ref m, 3));
            TV m4 = TOps.Splat(Unsafe.Add(ref m, 4)), m5 = TOps.Splat(Unsafe.Add(ref m, 5)), m6 = TOps.Splat(Unsafe.Add(ref m, 6)), m7 = TOps.Splat(Unsafe.Add(ref m, 7));
            ref var sp = ref Unsafe.Add(ref firstPartial, a * w);
            TV s0 = TOps.Load(ref sp), s1 = TOps.Load(ref Unsafe.Add(ref sp, w)), s2 = TOps.Load(ref Unsafe.Add(ref sp, 2 * w)), s3 = TOps.Load(ref Unsafe.Add(ref sp, 3 * w));
            TV s4 = TOps.Load(ref Unsafe.Add(ref sp, 4 * w)), s5 = TOps.Load(ref Unsafe.Add(ref sp, 5 * w)), s6 = TOps.Load(ref Unsafe.Add(ref sp, 6 * w)), s7 = TOps.Load(ref Unsafe.Add(ref sp, 7 * w));
            ref var x = ref Unsafe.Add(ref xt, a * Stride);
            for (var i = 0; i < rows; i += w)
            {
                var r = TOps.Load(ref Unsafe.Add(ref resp, i));
                if (a == 0) AddTotals(r, ref Unsafe.Add(ref distances, i), ref n, ref q);
                ref var xi = ref Unsafe.Add(ref x, i);
                s0 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref xi), m0), s0);
                s1 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, Stride)), m1), s1);
                s2 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, 2 * Stride)), m2), s2);
                s3 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, 3 * Stride)), m3), s3);
                s4 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, 4 * Stride)), m4), s4);
                s5 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, 5 * Stride)), m5), s5);
                s6 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, 6 * Stride)), m6), s6);
                s7 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref xi, 7 * Stride)), m7), s7);
            }
            StoreRow(ref sp, w, s0, s1, s2, s3);
            StoreRow(ref Unsafe.Add(ref sp, 4 * w), w, s4, s5, s6, s7);
        }
        if (a < dp)
        {
            var m0 = TOps.Splat(Unsafe.Add(ref mean, a));
            var m1 = TOps.Splat(Unsafe.Add(ref mean, a + 1));
            var m2 = TOps.Splat(Unsafe.Add(ref mean, a + 2));
            var m3 = TOps.Splat(Unsafe.Add(ref mean, a + 3));
            ref var sp = ref Unsafe.Add(ref firstPartial, a * w);
            TV s0 = TOps.Load(ref sp), s1 = TOps.Load(ref Unsafe.Add(ref sp, w)), s2 = TOps.Load(ref Unsafe.Add(ref sp, 2 * w)), s3 = TOps.Load(ref Unsafe.Add(ref sp, 3 * w));
            ref var x = ref Unsafe.Add(ref xt, a * Stride);
            for (var i = 0; i < rows; i += w)
            {
                var r = TOps.Load(ref Unsafe.Add(ref resp, i));
                if (a == 0) AddTotals(r, ref Unsafe.Add(ref distances, i), ref n, ref q);
                s0 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref x, i)), m0), s0);
                s1 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref x, Stride + i)), m1), s1);
                s2 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref x, 2 * Stride + i)), m2), s2);
                s3 = TOps.MultiplyAdd(r, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref x, 3 * Stride + i)), m3), s3);
            }
            StoreRow(ref sp, w, s0, s1, s2, s3);
        }
        TOps.Store(n, ref weightPartial);
        TOps.Store(q, ref secondPartial);
    }

    /// <summary>n += r and q += r·‖x − m‖² for one row vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTotals(TV r, ref double distance, ref TV n, ref TV q)
    {
        n = TOps.Add(n, r);
        q = TOps.MultiplyAdd(r, TOps.Load(ref distance), q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Moment(TV x, TV mean, TV r, ref TV first, ref TV second)
    {
        var diff = TOps.Subtract(x, mean);
        var weighted = TOps.Multiply(r, diff);
        first = TOps.Add(first, weighted);
        second = TOps.MultiplyAdd(weighted, diff, second);
    }

    /// <summary>One row vector from each of four consecutive columns of a transposed block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadFour(ref double column, out TV v0, out TV v1, out TV v2, out TV v3)
    {
        v0 = TOps.Load(ref column);
        v1 = TOps.Load(ref Unsafe.Add(ref column, Stride));
        v2 = TOps.Load(ref Unsafe.Add(ref column, 2 * Stride));
        v3 = TOps.Load(ref Unsafe.Add(ref column, 3 * Stride));
    }

    /// <summary>Tiles (ta ≤ tb) of the upper tile triangle for dp padded dimensions.</summary>
    public static int TileCount(int dp) => dp / Tile * (dp / Tile + 1) / 2;
}
