using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>Data far from the origin: the shifted moments keep every digit that the naive form loses.</summary>
public class ShiftInvarianceTests
{
    private static readonly double[,] Data = TestData.Blobs(600, TestData.Centres3, 0.8, seed: 23);

    public static TheoryData<CovarianceType, double, double> Cases()
    {
        var data = new TheoryData<CovarianceType, double, double>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            data.Add(type, 1e6, 1e-8);
            data.Add(type, 1e9, 1e-5);
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Adding_a_constant_leaves_covariances_and_responsibilities_unchanged(CovarianceType type, double offset, double tolerance)
    {
        var means = TestData.Perturbed(TestData.Centres3);
        var near = FitAndScore(Data, TestData.StartModel(type, means));
        var far = FitAndScore(TestData.Shifted(Data, offset), TestData.StartModel(type, means, offset));

        Close.All(near.Model.Covariances, far.Model.Covariances, tolerance, "covariances");
        Close.All(near.Model.Weights, far.Model.Weights, tolerance, "weights");
        Close.All(near.Probabilities, far.Probabilities, tolerance, "responsibilities");
        var farMeans = far.Model.Means.Select(v => v - offset).ToArray();
        Close.All(near.Model.Means, farMeans, tolerance, "means − offset");
    }

    [Theory]
    [InlineData(1e6, 1e-4)]   // already most digits gone
    [InlineData(1e9, 1.0)]    // every digit gone
    public void The_naive_second_moment_loses_digits_far_from_the_origin(double offset, double minimumError)
    {
        var exact = TwoPassCovariance(Data);
        var naive = NaiveCovariance(TestData.Shifted(Data, offset));
        var error = MaxRelativeError(exact, naive);
        Assert.True(error > minimumError, $"naive error {error:G3} at offset {offset:G3}");
        // ...while the two-pass form does not care.
        Assert.True(MaxRelativeError(exact, TwoPassCovariance(TestData.Shifted(Data, offset))) < 1e-6);
    }

    private sealed record Result(GaussianMixture Model, double[] Probabilities);

    private static Result FitAndScore(double[,] x, GaussianMixture start)
    {
        var model = TestData.Fit(x, TestData.FromStart(start, maxIter: 5)).Mixture;
        var block = TestData.Block(x);
        var probabilities = new double[block.Rows * model.Components];
        new MixtureScorer(model).Score(block, [], probabilities, []);
        return new Result(model, probabilities);
    }

    /// <summary>Σxxᵀ/n − μμᵀ: the textbook one-pass form.</summary>
    internal static double[,] NaiveCovariance(double[,] x) => Covariance(x, naive: true);

    private static double[,] TwoPassCovariance(double[,] x) => Covariance(x, naive: false);

    private static double[,] Covariance(double[,] x, bool naive)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var mean = ColumnMeans(x);
        var result = new double[d, d];
        for (var a = 0; a < d; a++)
        for (var b = 0; b < d; b++)
        {
            double s = 0;
            for (var i = 0; i < n; i++) s += naive ? x[i, a] * x[i, b] : (x[i, a] - mean[a]) * (x[i, b] - mean[b]);
            result[a, b] = naive ? s / n - mean[a] * mean[b] : s / n;
        }
        return result;
    }

    private static double[] ColumnMeans(double[,] x)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var mean = new double[d];
        for (var a = 0; a < d; a++)
        {
            for (var i = 0; i < n; i++) mean[a] += x[i, a];
            mean[a] /= n;
        }
        return mean;
    }

    private static double MaxRelativeError(double[,] expected, double[,] actual)
    {
        var scale = expected.Cast<double>().Max(Math.Abs);
        return expected.Cast<double>().Zip(actual.Cast<double>(), (e, a) => Math.Abs(e - a) / scale).Max();
    }
}
