using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Initialization;

/// <summary>
/// Starting parameters, as scikit-learn's _initialize_parameters: a labelling of the sample (responsibilities)
/// turned into parameters by one M-step. Seeded by (seed, restart), so every restart differs and every run repeats.
/// A weighted sample is drawn from and averaged by its weights (see <see cref="KMeans"/>); the rows chosen as means
/// count once each, as one of the repeated rows an integer weight stands for would.
/// </summary>
public static class Initializer
{
    public static PreparedMixture Initialize(RowBlock sample, FitSettings settings, int restart)
    {
        if (settings.InitModel is { } given)
        {
            try
            {
                return PreparedMixture.Prepare(given, settings.RegCovar);
            }
            catch (DegenerateComponentException e)
            {
                // Nothing collapsed: the user's start is invalid.
                throw new InitializationException($"the initial model's covariance of component {e.Component} is not positive definite", e);
            }
        }
        int k = settings.Components, n = sample.Rows, d = sample.Dimensions;
        if (n < k)
            throw new InitializationException(n == 0
                ? sample.IsWeighted
                    ? "no row to start from: every row has weight 0, or an invalid value in a feature or the weight column"
                    : "no valid row to start from: every row has a null, NaN or infinite value in a feature column"
                : $"{k} components need at least {k} rows to initialise from, but the initialisation sample has {n}: raise the init sample rows");
        var random = new DeterministicRandom(unchecked((ulong)settings.Seed), (ulong)restart);
        var responsibilities = new double[(long)n * k];
        double[] shifts;
        switch (settings.Init)
        {
            case InitMethod.KMeans:
            {
                var seeds = KMeans.PlusPlusSeeds(sample, k, random);
                shifts = RowsOf(sample, seeds);
                var labels = KMeans.Lloyd(sample, shifts, k, settings.KMeansMaxIter);
                for (var i = 0; i < n; i++) responsibilities[(long)i * k + labels[i]] = 1;
                break;
            }
            case InitMethod.KMeansPlusPlus:
                shifts = OneRowPerComponent(sample, KMeans.PlusPlusSeeds(sample, k, random), responsibilities);
                break;
            case InitMethod.RandomFromData:
                shifts = OneRowPerComponent(sample, sample.IsWeighted ? WeightedDistinctIndices(sample, k, random) : DistinctIndices(n, k, random), responsibilities);
                break;
            case InitMethod.Random:
            {
                for (var i = 0; i < n; i++)
                {
                    var row = responsibilities.AsSpan(i * k, k);
                    double sum = 0;
                    for (var c = 0; c < k; c++) sum += row[c] = random.NextDouble();
                    for (var c = 0; c < k; c++) row[c] /= sum;
                }
                var mean = ColumnMeans(sample);
                shifts = new double[k * d];
                for (var c = 0; c < k; c++) mean.CopyTo(shifts, c * d);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(settings));
        }
        var stats = new SufficientStatistics(settings.CovarianceType, k, d);
        var oneRowEach = settings.Init is InitMethod.KMeansPlusPlus or InitMethod.RandomFromData;
        stats.AccumulateResponsibilities(oneRowEach ? new RowBlock(sample.Values, n, d) : sample, responsibilities, shifts);
        return MStep.Compute(stats, shifts, settings.RegCovar);
    }

    /// <summary>
    /// scikit-learn's k-means++ and random_from_data: responsibility 1 for each chosen row only, so each mean is
    /// its row and each covariance is reg_covar alone.
    /// </summary>
    private static double[] OneRowPerComponent(RowBlock sample, int[] indices, double[] responsibilities)
    {
        var k = indices.Length;
        for (var c = 0; c < k; c++) responsibilities[(long)indices[c] * k + c] = 1;
        return RowsOf(sample, indices);
    }

    private static double[] RowsOf(RowBlock sample, int[] indices)
    {
        var d = sample.Dimensions;
        var rows = new double[indices.Length * d];
        for (var c = 0; c < indices.Length; c++) sample.Row(indices[c]).CopyTo(rows.AsSpan(c * d, d));
        return rows;
    }

    /// <summary>K distinct row indices, uniformly (a partial Fisher–Yates shuffle).</summary>
    private static int[] DistinctIndices(int n, int k, DeterministicRandom random)
    {
        var chosen = new Dictionary<int, int>();
        var result = new int[k];
        for (var i = 0; i < k; i++)
        {
            var j = i + random.NextInt(n - i);
            var atJ = chosen.TryGetValue(j, out var vj) ? vj : j;
            var atI = chosen.TryGetValue(i, out var vi) ? vi : i;
            chosen[j] = atI;
            result[i] = atJ;
        }
        return result;
    }

    /// <summary>
    /// K distinct rows drawn one after another, each with probability proportional to its weight among the rows not
    /// yet drawn (sampling without replacement by weight).
    /// </summary>
    private static int[] WeightedDistinctIndices(RowBlock sample, int k, DeterministicRandom random)
    {
        var remaining = sample.Weights!.AsSpan(0, sample.Rows).ToArray();
        var result = new int[k];
        for (var c = 0; c < k; c++)
        {
            double total = 0;
            foreach (var w in remaining) total += w;
            var target = random.NextDouble() * total;
            var chosen = -1;
            double cumulative = 0;
            for (var i = 0; i < remaining.Length; i++)
            {
                if (remaining[i] == 0) continue;
                chosen = i;
                cumulative += remaining[i];
                if (cumulative > target) break;
            }
            result[c] = chosen;
            remaining[chosen] = 0;
        }
        return result;
    }

    private static double[] ColumnMeans(RowBlock sample)
    {
        var d = sample.Dimensions;
        var mean = new double[d];
        for (var i = 0; i < sample.Rows; i++)
        {
            var row = sample.Row(i);
            var w = sample.Weight(i);
            for (var a = 0; a < d; a++) mean[a] += w * row[a];
        }
        var total = sample.TotalWeight();
        for (var a = 0; a < d; a++) mean[a] /= total;
        return mean;
    }
}
