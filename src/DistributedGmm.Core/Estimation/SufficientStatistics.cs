using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// The partial sums of one E-step over some rows, shifted by the broadcast means m_k so that the second
/// moment stays free of cancellation far from the origin:
/// n_k = Σ r_ik, s_k = Σ r_ik (x_i − m_k), Q_k = Σ r_ik (x_i − m_k)(x_i − m_k)ᵀ (upper triangle, row by row;
/// only its diagonal for diag, only its trace Σ r_ik ‖x_i − m_k‖² for spherical), the row count, Σ log p(x_i) and
/// the samples Σ w_i. With sample weights every r_ik is w_i·r_ik and the log-likelihood is Σ w_i log p(x_i);
/// without, w_i = 1 and the samples are the rows.
/// Besides the sums, the row of lowest log-likelihood (of positive weight) and its log-likelihood: where
/// <c>--on-degenerate reseed</c> restarts a collapsed component. Merging keeps the lower one, the left one on a
/// tie, so folds in shard order break ties by shard and then row.
/// Everything lives in one flat array, the form that goes on the wire:
/// [rows, log-likelihood, samples, n (K), s (K × d), Q (K × m), lowest log-likelihood, its row (d)] with
/// m = d(d+1)/2, d or 1.
/// </summary>
public sealed class SufficientStatistics
{
    private const int Header = 3;

    public SufficientStatistics(CovarianceType covarianceType, int components, int dimensions)
        : this(covarianceType, components, dimensions, new double[Length(covarianceType, components, dimensions)]) =>
        LowestLogLikelihood = double.PositiveInfinity;

    private SufficientStatistics(CovarianceType covarianceType, int components, int dimensions, double[] values)
    {
        CovarianceType = covarianceType;
        Components = components;
        Dimensions = dimensions;
        SecondMomentLength = SecondMomentWidth(covarianceType, dimensions);
        Values = values;
        LowestAt = Header + components * (1 + dimensions + SecondMomentLength);
    }

    /// <summary>Where the lowest log-likelihood sits in <see cref="Values"/>; its row follows.</summary>
    private int LowestAt { get; }

    public CovarianceType CovarianceType { get; }
    public int Components { get; }
    public int Dimensions { get; }

    /// <summary>Entries of Q per component: d(d+1)/2 (upper triangle) or d (diagonal).</summary>
    public int SecondMomentLength { get; }

    /// <summary>The flat form; see the type's summary for the layout.</summary>
    public double[] Values { get; }

    /// <summary>Rows seen, whatever their weights (zero-weight rows included).</summary>
    public double Rows { get => Values[0]; set => Values[0] = value; }
    /// <summary>Σ w_i log p(x_i).</summary>
    public double LogLikelihood { get => Values[1]; set => Values[1] = value; }
    /// <summary>Σ w_i: scikit-learn's n_samples, the n of BIC.</summary>
    public double Samples { get => Values[2]; set => Values[2] = value; }
    public Span<double> Weights => Values.AsSpan(Header, Components);
    public Span<double> FirstMoments => Values.AsSpan(Header + Components, Components * Dimensions);
    public Span<double> FirstMoment(int k) => Values.AsSpan(Header + Components + k * Dimensions, Dimensions);
    public Span<double> SecondMoments => Values.AsSpan(Header + Components * (1 + Dimensions), Components * SecondMomentLength);
    public Span<double> SecondMoment(int k) =>
        Values.AsSpan(Header + Components * (1 + Dimensions) + k * SecondMomentLength, SecondMomentLength);

    public double MeanLogLikelihood => LogLikelihood / Samples;

    /// <summary>The lowest log p(x_i) of a row of positive weight; +∞ when there is none.</summary>
    public double LowestLogLikelihood { get => Values[LowestAt]; private set => Values[LowestAt] = value; }

    /// <summary>The row of <see cref="LowestLogLikelihood"/> (meaningless while that is +∞).</summary>
    public ReadOnlySpan<double> LowestRow => Values.AsSpan(LowestAt + 1, Dimensions);

    /// <summary>Keeps <paramref name="row"/> as the lowest when its log-likelihood is strictly lower (the earlier row wins a tie).</summary>
    public void OfferLowest(double logLikelihood, ReadOnlySpan<double> row)
    {
        if (!(logLikelihood < LowestLogLikelihood)) return;
        LowestLogLikelihood = logLikelihood;
        row.CopyTo(Values.AsSpan(LowestAt + 1, Dimensions));
    }

    public static bool StoresFullSecondMoment(CovarianceType type) => type is CovarianceType.Full or CovarianceType.Tied;

    /// <summary>Entries of Q_k: the upper triangle (full, tied), the diagonal (diag) or the trace (spherical).</summary>
    public static int SecondMomentWidth(CovarianceType type, int dimensions) => type switch
    {
        CovarianceType.Full or CovarianceType.Tied => dimensions * (dimensions + 1) / 2,
        CovarianceType.Diag => dimensions,
        _ => 1,
    };

    public static int Length(CovarianceType type, int components, int dimensions) =>
        checked(Header + components * (1 + dimensions + SecondMomentWidth(type, dimensions)) + 1 + dimensions);

    /// <summary>Index of (a, b), a ≤ b, in a row-by-row upper triangle of a d × d matrix.</summary>
    public static int UpperIndex(int a, int b, int d) => a * d - a * (a - 1) / 2 + (b - a);

    /// <summary>Wraps a flat array received from elsewhere; its length must match the shape exactly.</summary>
    public static SufficientStatistics FromValues(CovarianceType type, int components, int dimensions, double[] values)
    {
        var expected = Length(type, components, dimensions);
        if (values.Length != expected)
            throw new ArgumentException($"statistics of {components} components in {dimensions} dimensions ({type.ToName()}) take {expected} values, got {values.Length}");
        return new SufficientStatistics(type, components, dimensions, values);
    }

    public SufficientStatistics Clone() => new(CovarianceType, Components, Dimensions, (double[])Values.Clone());

    /// <summary>Adds <paramref name="other"/> into this one: exact up to the rounding of one addition per entry.</summary>
    public void Add(SufficientStatistics other)
    {
        if (other.CovarianceType != CovarianceType || other.Components != Components || other.Dimensions != Dimensions)
            throw new ArgumentException("cannot merge statistics of different shapes");
        var target = Values.AsSpan(0, LowestAt);
        var source = other.Values.AsSpan(0, LowestAt);
        for (var i = 0; i < target.Length; i++) target[i] += source[i];
        OfferLowest(other.LowestLogLikelihood, other.LowestRow);
    }

    /// <summary>
    /// These statistics without component <paramref name="component"/>: what the M-step of the K − 1 others takes
    /// when it is dropped or reseeded. The rows, samples and log-likelihood stay those of the data.
    /// </summary>
    public SufficientStatistics Without(int component)
    {
        int k = Components, d = Dimensions, m = SecondMomentLength;
        var result = new SufficientStatistics(CovarianceType, k - 1, d);
        result.Rows = Rows;
        result.LogLikelihood = LogLikelihood;
        result.Samples = Samples;
        for (int c = 0, to = 0; c < k; c++)
        {
            if (c == component) continue;
            result.Weights[to] = Weights[c];
            FirstMoment(c).CopyTo(result.FirstMoment(to));
            SecondMoment(c).CopyTo(result.SecondMoment(to));
            to++;
        }
        result.OfferLowest(LowestLogLikelihood, LowestRow);
        return result;
    }

    /// <summary>The statistics of A ∪ B from those of A and B (computed under the same broadcast means).</summary>
    public static SufficientStatistics Merge(SufficientStatistics a, SufficientStatistics b)
    {
        var result = a.Clone();
        result.Add(b);
        return result;
    }

    /// <summary>
    /// Accumulates rows with given responsibilities (n × K, row-major) and per-component shifts (K × d):
    /// how initialisation turns a labelling into parameters. Rows count by their weights. No log-likelihood is recorded.
    /// </summary>
    public void AccumulateResponsibilities(RowBlock block, ReadOnlySpan<double> responsibilities, ReadOnlySpan<double> shifts)
    {
        int k = Components, d = Dimensions;
        var diff = new double[d];
        for (var i = 0; i < block.Rows; i++)
        {
            var row = block.Row(i);
            var weight = block.Weight(i);
            for (var c = 0; c < k; c++)
            {
                var r = block.IsWeighted ? weight * responsibilities[i * k + c] : responsibilities[i * k + c];
                if (r == 0) continue;
                var shift = shifts.Slice(c * d, d);
                for (var a = 0; a < d; a++) diff[a] = row[a] - shift[a];
                AccumulateRow(c, r, diff);
            }
        }
        Rows += block.Rows;
        Samples += block.TotalWeight();
    }

    /// <summary>Adds r·(x − m_k) and r·(x − m_k)(x − m_k)ᵀ for one row and one component.</summary>
    internal void AccumulateRow(int component, double responsibility, ReadOnlySpan<double> diff)
    {
        var d = Dimensions;
        Weights[component] += responsibility;
        var s = FirstMoment(component);
        for (var a = 0; a < d; a++) s[a] += responsibility * diff[a];
        var q = SecondMoment(component);
        if (StoresFullSecondMoment(CovarianceType))
        {
            var index = 0;
            for (var a = 0; a < d; a++)
            {
                var w = responsibility * diff[a];
                for (var b = a; b < d; b++) q[index++] += w * diff[b];
            }
        }
        else if (CovarianceType == CovarianceType.Diag)
        {
            for (var a = 0; a < d; a++) q[a] += responsibility * diff[a] * diff[a];
        }
        else
        {
            double squared = 0;
            for (var a = 0; a < d; a++) squared += diff[a] * diff[a];
            q[0] += responsibility * squared;
        }
    }
}
