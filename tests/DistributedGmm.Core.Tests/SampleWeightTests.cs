using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// Sample weights (Spark's weightCol): integer weights are the data with each row repeated w times, zero weights
/// leave rows out, and fractional weights follow a plain weighted EM written here.
/// </summary>
public class SampleWeightTests
{
    public static TheoryData<CovarianceType> AllTypes => [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diag, CovarianceType.Spherical];

    /// <summary>Weights 0–3, deterministic; row i of the data stands for <c>weights[i]</c> rows.</summary>
    private static double[] IntegerWeights(int n) => Enumerable.Range(0, n).Select(i => (double)((i * 7 + 3) % 4)).ToArray();

    /// <summary>The rows cut into shards of <paramref name="shardRows"/>, each carrying its rows' weights.</summary>
    internal static RowBlock[] WeightedShards(double[,] x, double[] weights, int shardRows)
    {
        var shards = TestData.Shards(x, shardRows);
        var first = 0;
        for (var s = 0; s < shards.Length; s++)
        {
            shards[s] = new RowBlock(shards[s].Values, shards[s].Rows, shards[s].Dimensions, weights[first..(first + shards[s].Rows)]);
            first += shards[s].Rows;
        }
        return shards;
    }

    /// <summary>Row i repeated <c>weights[i]</c> times, in order.</summary>
    internal static double[,] Replicated(double[,] x, double[] weights)
    {
        int d = x.GetLength(1), rows = (int)weights.Sum();
        var result = new double[rows, d];
        var at = 0;
        for (var i = 0; i < weights.Length; i++)
        for (var copy = 0; copy < (int)weights[i]; copy++, at++)
        for (var a = 0; a < d; a++) result[at, a] = x[i, a];
        return result;
    }

    internal static void AssertSameModel(FittedModel expected, FittedModel actual, double relative)
    {
        Close.All(expected.Mixture.Weights, actual.Mixture.Weights, relative, "weights");
        Close.All(expected.Mixture.Means, actual.Mixture.Means, relative, "means");
        Close.All(expected.Mixture.Covariances, actual.Mixture.Covariances, relative, "covariances");
        Close.All(expected.LogLikelihoodHistory, actual.LogLikelihoodHistory, relative, "history");
        Close.All([expected.LogLikelihood, expected.MeanLogLikelihood, expected.Samples, expected.Bic, expected.Aic],
            [actual.LogLikelihood, actual.MeanLogLikelihood, actual.Samples, actual.Bic, actual.Aic], relative, "log-likelihood, mean, n_samples, BIC, AIC");
    }

    [Theory, MemberData(nameof(AllTypes))]
    public void Integer_weights_give_the_model_of_the_repeated_rows(CovarianceType type)
    {
        var x = TestData.Blobs(400, TestData.Centres3, 0.9, seed: 23);
        var weights = IntegerWeights(400);
        var settings = TestData.FromStart(TestData.StartModel(type, TestData.Perturbed(TestData.Centres3)), maxIter: 15);

        var weighted = InMemoryFitter.Fit(WeightedShards(x, weights, 97), TestData.Columns(3), settings);
        var repeated = TestData.Fit(Replicated(x, weights), settings, shardRows: 131);

        AssertSameModel(repeated, weighted, 1e-10);
        Assert.Equal(weights.Sum(), weighted.Samples);
        Assert.Equal(400, weighted.Rows);
        Assert.Equal(15, weighted.Iterations);
    }

    [Fact]
    public void Weight_zero_leaves_a_row_out_even_an_outlier()
    {
        var x = TestData.Blobs(300, TestData.Centres3, 0.9, seed: 29);
        var weights = Enumerable.Repeat(1.0, 300).ToArray();
        // Rows far away that would pull a mean and blow up a covariance if they counted at all.
        for (var i = 0; i < 300; i += 37)
        {
            for (var a = 0; a < 3; a++) x[i, a] = 1e6 * (a + 1);
            weights[i] = 0;
        }
        var settings = TestData.FromStart(TestData.StartModel(CovarianceType.Full, TestData.Perturbed(TestData.Centres3)), maxIter: 10);

        var weighted = InMemoryFitter.Fit(WeightedShards(x, weights, 64), TestData.Columns(3), settings);
        var without = TestData.Fit(Replicated(x, weights), settings);

        AssertSameModel(without, weighted, 1e-10);
    }

    [Theory, MemberData(nameof(AllTypes))]
    public void Fractional_weights_agree_with_a_plain_weighted_em(CovarianceType type)
    {
        var x = TestData.Blobs(350, TestData.Centres3, 1.1, seed: 31);
        var random = new Random(5);
        var weights = Enumerable.Range(0, 350).Select(i => i % 11 == 0 ? 0 : 0.05 + 2.5 * random.NextDouble()).ToArray();
        var start = TestData.StartModel(type, TestData.Perturbed(TestData.Centres3));

        var fitted = InMemoryFitter.Fit(WeightedShards(x, weights, 61), TestData.Columns(3), TestData.FromStart(start, maxIter: 12));
        var reference = new WeightedEm(start);
        for (var iteration = 0; iteration < 12; iteration++) reference.Iterate(x, weights, 1e-6);

        Close.All(reference.Weights, fitted.Mixture.Weights, 1e-10, "weights");
        Close.All(reference.Means, fitted.Mixture.Means, 1e-10, "means");
        Close.All(reference.FlatCovariances(), fitted.Mixture.Covariances, 1e-10, "covariances");
        Close.All(reference.History, fitted.LogLikelihoodHistory, 1e-10, "history");
        var (total, samples) = reference.LogLikelihood(x, weights);
        Close.All([total, samples, total / samples], [fitted.LogLikelihood, fitted.Samples, fitted.MeanLogLikelihood], 1e-10, "log-likelihood, n_samples, mean");
        Assert.Equal(ModelSelection.Bic(total, samples, start.FreeParameters), fitted.Bic, 1e-8 * Math.Abs(fitted.Bic));
    }

    [Fact]
    public void Scaling_every_weight_changes_n_but_not_the_parameters()
    {
        var x = TestData.Blobs(300, TestData.Centres3, 0.9, seed: 37);
        var weights = IntegerWeights(300).Select(w => w + 0.5).ToArray();
        var settings = TestData.FromStart(TestData.StartModel(CovarianceType.Diag, TestData.Perturbed(TestData.Centres3)), maxIter: 10);

        var once = InMemoryFitter.Fit(WeightedShards(x, weights, 97), TestData.Columns(3), settings);
        var tenfold = InMemoryFitter.Fit(WeightedShards(x, weights.Select(w => 10 * w).ToArray(), 97), TestData.Columns(3), settings);

        Close.All(once.Mixture.Means, tenfold.Mixture.Means, 1e-12, "means");
        Close.All(once.Mixture.Covariances, tenfold.Mixture.Covariances, 1e-10, "covariances");
        Close.All(once.LogLikelihoodHistory, tenfold.LogLikelihoodHistory, 1e-12, "mean log-likelihood");
        Assert.Equal(10 * once.Samples, tenfold.Samples, 1e-9 * tenfold.Samples);
        Assert.Equal(10 * once.LogLikelihood, tenfold.LogLikelihood, 1e-9 * Math.Abs(tenfold.LogLikelihood));
    }

    [Fact]
    public void All_zero_weights_are_refused()
    {
        var x = TestData.Blobs(100, TestData.Centres3, 0.9, seed: 41);
        var zero = new double[100];
        var given = TestData.FromStart(TestData.StartModel(CovarianceType.Full, TestData.Centres3));
        var e = Assert.Throws<InitializationException>(() => InMemoryFitter.Fit(WeightedShards(x, zero, 50), TestData.Columns(3), given));
        Assert.Contains("weight 0", e.Message);
        var drawn = new FitSettings { Components = 3 };
        e = Assert.Throws<InitializationException>(() => InMemoryFitter.Fit(WeightedShards(x, zero, 50), TestData.Columns(3), drawn));
        Assert.Contains("weight 0", e.Message);
    }

    [Fact]
    public void The_initial_sample_leaves_out_zero_weights_and_travels_with_its_weights()
    {
        var x = TestData.Blobs(200, TestData.Centres3, 0.9, seed: 43);
        var weights = IntegerWeights(200).Select(w => w / 2).ToArray();
        var shard = WeightedShards(x, weights, 200)[0];
        var settings = new FitSettings { Components = 3, InitSampleRows = 120, Seed = 4 };

        var sample = InitialSample.Draw(shard, 0, 200, settings);
        Assert.True(sample.IsWeighted);
        Assert.InRange(sample.Rows, 40, 120);
        for (var i = 0; i < sample.Rows; i++)
        {
            Assert.True(sample.Weight(i) > 0);
            var source = Enumerable.Range(0, 200).Single(r => shard.Row(r).SequenceEqual(sample.Row(i)));
            Assert.Equal(weights[source], sample.Weight(i));
        }
        var back = InitialSample.FromWire(InitialSample.ToWire(sample), 3, weighted: true);
        Close.Bitwise(sample.Span.ToArray(), back.Span.ToArray(), "values");
        Close.Bitwise(sample.Weights!.AsSpan(0, sample.Rows).ToArray(), back.Weights!.AsSpan(0, back.Rows).ToArray(), "weights");
    }

    [Fact]
    public void Weighted_lloyd_is_lloyd_on_the_repeated_rows()
    {
        var x = TestData.Blobs(300, TestData.Centres3, 1.2, seed: 47);
        var weights = IntegerWeights(300);
        var weighted = new RowBlock(TestData.Block(x).Values, 300, 3, weights);
        var repeated = TestData.Block(Replicated(x, weights));
        var start = TestData.Perturbed(TestData.Centres3, 1.5).SelectMany(c => c).ToArray();
        var (a, b) = ((double[])start.Clone(), (double[])start.Clone());

        // Lloyd's stopping threshold is scikit-learn's (from the unweighted variances), so both run the same iterations only
        // when both converge: enough iterations that they do.
        KMeans.Lloyd(weighted, a, 3, 300);
        KMeans.Lloyd(repeated, b, 3, 300);

        Close.All(b, a, 1e-12, "centres");
    }

    [Fact]
    public void Weighted_seeding_draws_by_weight_and_repeats()
    {
        var x = TestData.Blobs(200, TestData.Centres3, 0.9, seed: 53);
        var weights = Enumerable.Repeat(1.0, 200).ToArray();
        weights[123] = 1e9; // practically all of the data's weight
        var block = new RowBlock(TestData.Block(x).Values, 200, 3, weights);
        for (var seed = 0UL; seed < 5; seed++)
        {
            var seeds = KMeans.PlusPlusSeeds(block, 3, new DeterministicRandom(seed, 0));
            Assert.Equal(123, seeds[0]);
            Assert.Equal(seeds, KMeans.PlusPlusSeeds(block, 3, new DeterministicRandom(seed, 0)));
        }
    }

    [Theory]
    [InlineData(InitMethod.KMeans)]
    [InlineData(InitMethod.KMeansPlusPlus)]
    [InlineData(InitMethod.RandomFromData)]
    [InlineData(InitMethod.Random)]
    public void Weighted_initialisation_is_deterministic_and_never_starts_at_a_zero_weight_row(InitMethod init)
    {
        var x = TestData.Blobs(300, TestData.Centres3, 0.9, seed: 59);
        var weights = IntegerWeights(300);
        for (var i = 0; i < 300; i += 3) { x[i, 0] += 1000; weights[i] = 0; } // zero-weight rows sit far away
        var shards = WeightedShards(x, weights, 64);
        var settings = new FitSettings { Components = 3, Init = init, Seed = 9, MaxIter = 5 };

        var first = InMemoryFitter.Fit(shards, TestData.Columns(3), settings);
        var second = InMemoryFitter.Fit(shards, TestData.Columns(3), settings);

        Close.Bitwise(first.Mixture.Means, second.Mixture.Means, "means");
        Close.Bitwise(first.Mixture.Covariances, second.Mixture.Covariances, "covariances");
        for (var c = 0; c < 3; c++) Assert.True(first.Mixture.Means[c * 3] < 100, $"component {c} sits at a zero-weight row: {first.Mixture.Means[c * 3]}");
    }

    /// <summary>
    /// A plain weighted EM, sharing no code with Core: r_ik from log-sum-exp, n_k = Σ w_i r_ik + 10·eps, means and
    /// covariances as weighted averages about the new means (two passes), tied the n_k-weighted average of the
    /// scatter, spherical the mean of the diagonal, reg_covar on the diagonal.
    /// </summary>
    private sealed class WeightedEm
    {
        private readonly CovarianceType _type;
        private readonly int _k, _d;
        private double[][,] _covariances;

        public WeightedEm(GaussianMixture start)
        {
            _type = start.CovarianceType;
            _k = start.Components;
            _d = start.Dimensions;
            Weights = (double[])start.Weights.Clone();
            Means = (double[])start.Means.Clone();
            var reference = ReferenceAgreementTests.Reference(start);
            _covariances = reference.Covariances;
        }

        public double[] Weights { get; private set; }
        public double[] Means { get; private set; }
        public List<double> History { get; } = [];

        public double[] FlatCovariances() => _type switch
        {
            CovarianceType.Full => _covariances.SelectMany(Flat).ToArray(),
            CovarianceType.Tied => Flat(_covariances[0]),
            CovarianceType.Diag => _covariances.SelectMany(c => Enumerable.Range(0, _d).Select(a => c[a, a])).ToArray(),
            _ => _covariances.Select(c => c[0, 0]).ToArray(),
        };

        private static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

        private double[,] Responsibilities(double[,] x, double[] rowLogLikelihood)
        {
            var reference = ReferenceGmm.FromFlat("full", _k, _d, Weights, Means, _covariances.SelectMany(Flat).ToArray());
            var (logProb, resp) = reference.EStep(x);
            logProb.CopyTo(rowLogLikelihood, 0);
            return resp;
        }

        public (double Total, double Samples) LogLikelihood(double[,] x, double[] w)
        {
            var logProb = new double[x.GetLength(0)];
            Responsibilities(x, logProb);
            double total = 0, samples = 0;
            for (var i = 0; i < w.Length; i++)
            {
                if (w[i] != 0) total += w[i] * logProb[i];
                samples += w[i];
            }
            return (total, samples);
        }

        public void Iterate(double[,] x, double[] w, double regCovar)
        {
            int n = x.GetLength(0), k = _k, d = _d;
            var (total, samples) = LogLikelihood(x, w);
            History.Add(total / samples);
            var resp = Responsibilities(x, new double[n]);
            var nk = new double[k];
            for (var c = 0; c < k; c++)
            {
                for (var i = 0; i < n; i++) nk[c] += w[i] * resp[i, c];
                nk[c] += 10 * ReferenceGmm.Eps;
            }
            var means = new double[k * d];
            for (var c = 0; c < k; c++)
            for (var a = 0; a < d; a++)
            {
                double s = 0;
                for (var i = 0; i < n; i++) s += w[i] * resp[i, c] * x[i, a];
                means[c * d + a] = s / nk[c];
            }
            var scatter = new double[k][,];
            for (var c = 0; c < k; c++)
            {
                scatter[c] = new double[d, d];
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                {
                    double s = 0;
                    for (var i = 0; i < n; i++) s += w[i] * resp[i, c] * (x[i, a] - means[c * d + a]) * (x[i, b] - means[c * d + b]);
                    scatter[c][a, b] = s;
                }
            }
            var covariances = new double[k][,];
            var tied = new double[d, d];
            for (var c = 0; c < k; c++)
            for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++) tied[a, b] += scatter[c][a, b] / nk.Sum();
            for (var c = 0; c < k; c++)
            {
                covariances[c] = new double[d, d];
                var trace = Enumerable.Range(0, d).Sum(a => scatter[c][a, a]) / nk[c] / d;
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                {
                    var value = _type switch
                    {
                        CovarianceType.Full => scatter[c][a, b] / nk[c],
                        CovarianceType.Tied => tied[a, b],
                        CovarianceType.Diag => a == b ? scatter[c][a, a] / nk[c] : 0,
                        _ => a == b ? trace : 0,
                    };
                    covariances[c][a, b] = value + (a == b ? regCovar : 0);
                }
            }
            Weights = nk.Select(v => v / nk.Sum()).ToArray();
            Means = means;
            _covariances = covariances;
        }
    }
}
