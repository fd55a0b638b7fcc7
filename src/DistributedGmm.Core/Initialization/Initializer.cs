using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Initialization;

/// <summary>
/// Starting parameters, as scikit-learn's _initialize_parameters: a labelling of the sample (responsibilities)
/// turned into parameters by one M-step. Seeded by (seed, restart), so every restart differs and every run repeats.
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
                throw new ArgumentException($"the initial model's covariance of component {e.Component} is not positive definite", e);
            }
        }
        int k = settings.Components, n = sample.Rows, d = sample.Dimensions;
        if (n < k)
            throw new ArgumentException($"{k} components need at least {k} rows to initialise from, but the initialisation sample has {n}: raise the init sample rows");
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
                shifts = OneRowPerComponent(sample, DistinctIndices(n, k, random), responsibilities);
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
        stats.AccumulateResponsibilities(sample, responsibilities, shifts);
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

    private static double[] ColumnMeans(RowBlock sample)
    {
        var d = sample.Dimensions;
        var mean = new double[d];
        for (var i = 0; i < sample.Rows; i++)
        {
            var row = sample.Row(i);
            for (var a = 0; a < d; a++) mean[a] += row[a];
        }
        for (var a = 0; a < d; a++) mean[a] /= sample.Rows;
        return mean;
    }
}
