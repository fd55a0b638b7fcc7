using System.Globalization;
using System.Text.Json;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// Agreement with scikit-learn itself, not with our reading of it: Fixtures/sklearn holds data and the
/// parameters scikit-learn 1.2 fitted from a fixed start (made by make_fixture.py, committed with it).
/// </summary>
public sealed class ScikitLearnAgreementTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sklearn");

    [Theory]
    [InlineData("full")]
    [InlineData("tied")]
    [InlineData("diag")]
    [InlineData("spherical")]
    public void TwentyIterationsFromTheSameStartMatchScikitLearn(string typeName)
    {
        var type = CovarianceTypeNames.Parse(typeName);
        var rows = File.ReadAllLines(Path.Combine(Folder, "data.csv"))
            .Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        using var expectedDocument = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected.json")));
        var root = expectedDocument.RootElement;
        var fit = root.GetProperty("fits").GetProperty(typeName);
        int k = 3, d = 3;
        var startRows = root.GetProperty("start_rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var start = new GaussianMixture(type, k, d, [1.0 / 3, 1.0 / 3, 1.0 / 3],
            startRows.SelectMany(r => rows[r]).ToArray(), Flatten(fit.GetProperty("start_covariances")));

        var data = RowBlock.FromRows(rows);
        var shards = new[] { 0, 130, 260, 390 }.Select(first => new RowBlock(
            data.Values.AsSpan(first * d, Math.Min(130, rows.Length - first) * d).ToArray(), Math.Min(130, rows.Length - first), d)).ToArray();
        var model = InMemoryFitter.Fit(shards, TestData.Columns(d), TestData.FromStart(start, maxIter: 20));

        Close.All(Flatten(fit.GetProperty("weights")), model.Mixture.Weights, 1e-10, "weights");
        Close.All(Flatten(fit.GetProperty("means")), model.Mixture.Means, 1e-10, "means");
        Close.All(Flatten(fit.GetProperty("covariances")), model.Mixture.Covariances, 1e-10, "covariances");
        Close.All([fit.GetProperty("lower_bound").GetDouble()], [model.LogLikelihoodHistory[^1]], 1e-12, "lower bound");
        Close.All([fit.GetProperty("mean_log_likelihood").GetDouble()], [model.MeanLogLikelihood], 1e-12, "score");
        Assert.Equal(fit.GetProperty("n_iter").GetInt32(), model.Iterations);
    }

    private static double[] Flatten(JsonElement element)
    {
        var values = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (var item in e.EnumerateArray()) Walk(item);
            else values.Add(e.GetDouble());
        }
        Walk(element);
        return values.ToArray();
    }
}
