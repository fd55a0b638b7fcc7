using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Core.Initialization;

/// <summary>
/// k-means as scikit-learn's KMeans uses it to initialise a mixture: greedy k-means++ seeding
/// (2 + ⌊ln K⌋ candidates per step), then Lloyd iterations until the centres move less than
/// tol × the mean per-feature variance, or max-iter. An emptied cluster keeps its centre. With sample weights, as
/// scikit-learn's sample_weight: the first seed is drawn in proportion to w, the next ones to w·D², the potential is
/// Σ w·D² and the centres are weighted means; the unweighted draws are unchanged.
/// </summary>
public static class KMeans
{
    public const double Tolerance = 1e-4;

    /// <summary>Indices of the K seeding rows chosen by greedy k-means++.</summary>
    public static int[] PlusPlusSeeds(RowBlock data, int k, DeterministicRandom random)
    {
        int n = data.Rows, d = data.Dimensions;
        if (n < k) throw new ArgumentException($"cannot choose {k} initial means from {n} rows");
        var trials = 2 + (int)Math.Log(k);
        var seeds = new int[k];
        var closest = new double[n];
        var candidateDistances = new double[n];
        var bestDistances = new double[n];
        var weighted = data.IsWeighted;
        seeds[0] = weighted ? SampleProportional(data.Weights!.AsSpan(0, n), data.TotalWeight(), random) : random.NextInt(n);
        double potential = 0;
        for (var i = 0; i < n; i++) potential += data.Weight(i) * (closest[i] = SquaredDistance(data.Row(i), data.Row(seeds[0])));
        var mass = weighted ? new double[n] : closest;
        for (var c = 1; c < k; c++)
        {
            var bestCandidate = -1;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                if (weighted)
                    for (var i = 0; i < n; i++) mass[i] = data.Weights![i] * closest[i];
                var candidate = SampleProportional(weighted ? mass : closest, potential, random);
                double candidatePotential = 0;
                var candidateRow = data.Row(candidate);
                for (var i = 0; i < n; i++)
                    candidatePotential += data.Weight(i) * (candidateDistances[i] = Math.Min(closest[i], SquaredDistance(data.Row(i), candidateRow)));
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    (bestDistances, candidateDistances) = (candidateDistances, bestDistances);
                }
            }
            seeds[c] = bestCandidate;
            potential = bestPotential;
            (closest, bestDistances) = (bestDistances, closest);
        }
        return seeds;
    }

    /// <summary>Lloyd's algorithm from the given centres (K × d, updated in place); returns each row's cluster.</summary>
    public static int[] Lloyd(RowBlock data, double[] centres, int k, int maxIterations)
    {
        int n = data.Rows, d = data.Dimensions;
        var labels = new int[n];
        var sums = new double[k * d];
        var counts = new double[k];
        var threshold = Tolerance * MeanVariance(data);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Assign(data, centres, k, labels);
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < n; i++)
            {
                var row = data.Row(i);
                var c = labels[i];
                var w = data.Weight(i);
                counts[c] += w;
                for (var a = 0; a < d; a++) sums[c * d + a] += w * row[a];
            }
            double shift = 0;
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0) continue;
                for (var a = 0; a < d; a++)
                {
                    var updated = sums[c * d + a] / counts[c];
                    var delta = updated - centres[c * d + a];
                    shift += delta * delta;
                    centres[c * d + a] = updated;
                }
            }
            if (shift <= threshold) break;
        }
        Assign(data, centres, k, labels);
        return labels;
    }

    private static void Assign(RowBlock data, double[] centres, int k, int[] labels)
    {
        var d = data.Dimensions;
        for (var i = 0; i < data.Rows; i++)
        {
            var row = data.Row(i);
            var best = 0;
            var bestDistance = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                var distance = SquaredDistance(row, centres.AsSpan(c * d, d));
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }
            labels[i] = best;
        }
    }

    private static double MeanVariance(RowBlock data)
    {
        int n = data.Rows, d = data.Dimensions;
        double total = 0;
        for (var a = 0; a < d; a++)
        {
            double mean = 0;
            for (var i = 0; i < n; i++) mean += data.Values[i * d + a];
            mean /= n;
            double variance = 0;
            for (var i = 0; i < n; i++)
            {
                var z = data.Values[i * d + a] - mean;
                variance += z * z;
            }
            total += variance / n;
        }
        return total / d;
    }

    private static int SampleProportional(ReadOnlySpan<double> weights, double total, DeterministicRandom random)
    {
        if (!(total > 0)) return random.NextInt(weights.Length);
        var target = random.NextDouble() * total;
        double cumulative = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (cumulative > target) return i;
        }
        return weights.Length - 1;
    }

    internal static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var z = a[i] - b[i];
            sum += z * z;
        }
        return sum;
    }
}
