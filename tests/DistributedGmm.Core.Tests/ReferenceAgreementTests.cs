using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>Core's EM against the plain scikit-learn transcription in <see cref="ReferenceGmm"/>.</summary>
public class ReferenceAgreementTests
{
    public static TheoryData<CovarianceType> AllTypes => [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diag, CovarianceType.Spherical];

    internal static ReferenceGmm Reference(GaussianMixture m) =>
        ReferenceGmm.FromFlat(m.CovarianceType.ToName(), m.Components, m.Dimensions, m.Weights, m.Means, m.Covariances);

    private static void AssertAgree(ReferenceGmm reference, FittedModel fitted)
    {
        Close.All(reference.Weights, fitted.Mixture.Weights, 1e-10, "weights");
        Close.All(reference.FlatMeans(), fitted.Mixture.Means, 1e-10, "means");
        Close.All(reference.FlatCovariances(), fitted.Mixture.Covariances, 1e-10, "covariances");
        Close.All(reference.LowerBounds, fitted.LogLikelihoodHistory, 1e-10, "history");
    }

    [Theory, MemberData(nameof(AllTypes))]
    public void Twenty_iterations_agree_with_the_reference(CovarianceType type)
    {
        var x = TestData.Blobs(500, TestData.Centres3, 0.8, seed: 11);
        var start = TestData.StartModel(type, TestData.Perturbed(TestData.Centres3));

        var fitted = TestData.Fit(x, TestData.FromStart(start, maxIter: 20));
        var reference = Reference(start);
        reference.Fit(x, maxIter: 20, tol: 0, regCovar: 1e-6);

        AssertAgree(reference, fitted);
        Assert.Equal(20, fitted.Iterations);
        Assert.False(fitted.Converged);
        // The recorded log-likelihood is that of the fitted parameters.
        Close.All([reference.ScoreSamples(x).Sum()], [fitted.LogLikelihood], 1e-10, "log-likelihood");
        Assert.Equal(500, fitted.Samples);
    }

    public static TheoryData<CovarianceType, int, int, int> Shapes()
    {
        var data = new TheoryData<CovarianceType, int, int, int>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            data.Add(type, 2, 1, 64);   // d = 1
            data.Add(type, 5, 4, 1000); // shards of several E-step blocks
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Other_shapes_agree_with_the_reference(CovarianceType type, int k, int d, int shardRows)
    {
        var centres = Enumerable.Range(0, k).Select(c => Enumerable.Range(0, d).Select(a => 3.0 * Math.Sin(c * 2.1 + a)).ToArray()).ToArray();
        // Unequal blob sizes: rows of blob 0 repeated, so weights differ.
        var blobs = TestData.Blobs(600, centres, 0.9, seed: 17);
        var x = new double[800, d];
        for (var i = 0; i < 800; i++)
        for (var a = 0; a < d; a++) x[i, a] = i < 600 ? blobs[i, a] : blobs[(i - 600) / k * k, a] + 0.01 * (i % 7);
        var start = TestData.StartModel(type, TestData.Perturbed(centres, 0.4));

        var fitted = TestData.Fit(x, TestData.FromStart(start, maxIter: 15), shardRows);
        var reference = Reference(start);
        reference.Fit(x, maxIter: 15, tol: 0, regCovar: 1e-6);

        AssertAgree(reference, fitted);
    }

    [Theory, MemberData(nameof(AllTypes))]
    public void One_component_is_the_sample_mean_and_biased_covariance(CovarianceType type)
    {
        var x = TestData.Blobs(300, [[1, -2, 3]], 1.5, seed: 5);
        int n = x.GetLength(0), d = 3;
        const double reg = 1e-3;
        var start = TestData.StartModel(type, [[0, 0, 0]], variance: 2);
        var m = TestData.Fit(x, TestData.FromStart(start, maxIter: 3, regCovar: reg)).Mixture;

        var mean = new double[d];
        for (var a = 0; a < d; a++)
        {
            for (var i = 0; i < n; i++) mean[a] += x[i, a];
            mean[a] /= n;
        }
        var cov = new double[d, d];
        for (var a = 0; a < d; a++)
        for (var b = 0; b < d; b++)
        {
            for (var i = 0; i < n; i++) cov[a, b] += (x[i, a] - mean[a]) * (x[i, b] - mean[b]);
            cov[a, b] = cov[a, b] / n + (a == b ? reg : 0);
        }
        var trace = Enumerable.Range(0, d).Sum(a => cov[a, a]) / d;
        double[] expected = type switch
        {
            CovarianceType.Full or CovarianceType.Tied => cov.Cast<double>().ToArray(),
            CovarianceType.Diag => Enumerable.Range(0, d).Select(a => cov[a, a]).ToArray(),
            _ => [trace],
        };
        Assert.Equal(1.0, m.Weights[0], 15);
        Close.All(mean, m.Means, 1e-12, "mean");
        Close.All(expected, m.Covariances, 1e-12, "covariance");
    }
}
