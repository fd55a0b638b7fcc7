using System.Globalization;
using System.Text.Json;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// <c>--prior</c> against R mclust itself: Fixtures/mclust holds data 1000 away from the origin and what mclust 6.0.0's
/// <c>me(model, data, z, prior = priorControl())</c> reports after the same M-steps from the same start
/// (make_fixture.R wrote both): the prior defaultPrior made, the parameters, mclust's loglik of them and its BIC.
/// </summary>
public class MclustAgreementTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mclust");

    [Theory]
    [InlineData("full")]
    [InlineData("tied")]
    [InlineData("diag")]
    [InlineData("spherical")]
    public void Map_em_from_the_same_start_matches_mclust(string typeName)
    {
        var type = CovarianceTypeNames.Parse(typeName);
        var rows = File.ReadAllLines(Path.Combine(Folder, "data.csv")).Skip(1)
            .Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected.json")));
        var root = document.RootElement;
        var expected = root.GetProperty(typeName);
        const int d = 3;
        var start = TestData.StartModel(type, Flatten(root.GetProperty("start_means")).Chunk(d).ToArray());
        var data = RowBlock.FromRows(rows);
        var shards = Enumerable.Range(0, 4).Select(s => new RowBlock(data.Values.AsSpan(s * 100 * d, 100 * d).ToArray(), 100, d)).ToArray();
        var settings = TestData.FromStart(start, maxIter: expected.GetProperty("iterations").GetInt32(), regCovar: 0) with { Prior = new PriorSettings() };

        var model = InMemoryFitter.Fit(shards, TestData.Columns(d), settings);

        var prior = expected.GetProperty("prior");
        Close.All([prior.GetProperty("shrinkage").GetDouble(), prior.GetProperty("dof").GetDouble()], [model.Prior!.Shrinkage, model.Prior.Dof], 0, "shrinkage, dof");
        Close.All(Flatten(prior.GetProperty("mean")), model.Prior.Mean, 1e-14, "prior mean");
        Close.All(Flatten(prior.GetProperty("scale")), model.Prior.Scale, 1e-12, "prior scale");
        Close.All(Flatten(expected.GetProperty("weights")), model.Mixture.Weights, 1e-10, "weights");
        Close.All(Flatten(expected.GetProperty("means")), model.Mixture.Means, 1e-12, "means");
        Close.All(Flatten(expected.GetProperty("covariances")), model.Mixture.Covariances, 1e-10, "covariances");
        // mclust's loglik is the plain log-likelihood of the MAP parameters; its BIC is 2·loglik − p·log n, ours the negative.
        Close.All([expected.GetProperty("loglik").GetDouble()], [model.LogLikelihood], 1e-12, "log-likelihood");
        Close.All([-expected.GetProperty("bic").GetDouble()], [model.Bic], 1e-12, "BIC");
    }

    private static double[] Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten).ToArray() : [element.GetDouble()];
}
