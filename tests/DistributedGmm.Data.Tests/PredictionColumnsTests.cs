using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Data.Tests;

/// <summary>
/// Predictions of a file DuckDB wrote (Fixtures/mixed.parquet: id BIGINT, label VARCHAR, x DOUBLE, n INTEGER,
/// note VARCHAR null every 5th row; see make-fixtures.sql): every input value and type comes back, and the scores
/// equal a plain evaluation of the diagonal mixture's density.
/// </summary>
public sealed class PredictionColumnsTests
{
    private static readonly string Mixed = Fixtures.Path("mixed.parquet");
    private static readonly GaussianMixture Model = new(CovarianceType.Diag, 2, 2, [0.3, 0.7], [1, 1, 4, 5], [0.5, 2, 1.5, 3]);

    private static string Predict(TempDirectory dir, IReadOnlyList<string>? keep = null)
    {
        var dataset = Dataset.Discover([Mixed], new DataOptions { Columns = ["x", "n"], ShardRows = 700 });
        var scorer = new MixtureScorer(Model);
        return PredictionWriter.WriteAll(dataset, 2, (b, ll, p, l) => scorer.Score(b, ll, p, l), dir.Path, keepColumns: keep).Single();
    }

    [Fact]
    public async Task Every_input_column_keeps_its_type_order_nulls_and_values_and_the_scores_follow()
    {
        using var dir = new TempDirectory();
        var output = Predict(dir);
        await using var reader = await ParquetReader.CreateAsync(output);
        var fields = reader.Schema.DataFields;
        await using (var input = await ParquetReader.CreateAsync(Mixed))
        {
            // DuckDB writes every column nullable; BIGINT, VARCHAR, DOUBLE and INTEGER come back as they went in.
            Assert.Equal([.. input.Schema.DataFields.Select(Describe), "prediction:Int32:False:Data", "log_likelihood:Double:False:Data", "prob_0:Double:False:Data", "prob_1:Double:False:Data"],
                fields.Select(Describe));
            Assert.Equal(["id", "label", "x", "n", "note"], input.Schema.DataFields.Select(f => f.Name));
        }
        Assert.Equal([typeof(long), typeof(double), typeof(int)], new[] { fields[0], fields[2], fields[3] }.Select(f => f.ClrType));
        var row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var id = new long?[n]; var label = new string?[n]; var x = new double?[n]; var ints = new int?[n]; var note = new string?[n];
            var prediction = new int[n]; var ll = new double[n]; var p0 = new double[n]; var p1 = new double[n];
            await group.ReadAsync<long>(fields[0], id.AsMemory());
            await group.ReadAsync(fields[1], label.AsMemory());
            await group.ReadAsync<double>(fields[2], x.AsMemory());
            await group.ReadAsync<int>(fields[3], ints.AsMemory());
            await group.ReadAsync(fields[4], note.AsMemory());
            await group.ReadAsync<int>(fields[5], prediction.AsMemory());
            await group.ReadAsync<double>(fields[6], ll.AsMemory());
            await group.ReadAsync<double>(fields[7], p0.AsMemory());
            await group.ReadAsync<double>(fields[8], p1.AsMemory());
            for (var r = 0; r < n; r++, row++)
            {
                Assert.Equal(row, id[r]);
                Assert.Equal($"row-{row}", label[r]);
                Assert.Equal(row % 10 * 0.5, x[r]);
                Assert.Equal(row % 7, ints[r]);
                Assert.Equal(row % 5 == 0 ? null : $"note {row}", note[r]);
                var (expectedLl, expectedP) = PlainScore(x[r]!.Value, ints[r]!.Value);
                Assert.Equal(expectedLl, ll[r], 1e-12);
                Assert.Equal(expectedP[0], p0[r], 1e-12);
                Assert.Equal(expectedP[1], p1[r], 1e-12);
                Assert.Equal(expectedP[1] > expectedP[0] ? 1 : 0, prediction[r]);
            }
        }
        Assert.Equal(3000, row);
    }

    [Fact]
    public async Task Keep_columns_carries_only_those_in_the_given_order_and_none_when_empty()
    {
        using (var dir = new TempDirectory())
        {
            await using var reader = await ParquetReader.CreateAsync(Predict(dir, ["note", "id"]));
            Assert.Equal(["note", "id", "prediction", "log_likelihood", "prob_0", "prob_1"], reader.Schema.DataFields.Select(f => f.Name));
        }
        using (var dir = new TempDirectory())
        {
            await using var reader = await ParquetReader.CreateAsync(Predict(dir, []));
            Assert.Equal(["prediction", "log_likelihood", "prob_0", "prob_1"], reader.Schema.DataFields.Select(f => f.Name));
        }
        using (var dir = new TempDirectory())
        {
            Assert.Contains("--keep-columns names \"nope\"", Fixtures.Fails(() => Predict(dir, ["nope"])).Message);
        }
    }

    private static string Describe(DataField f) => $"{f.Name}:{f.ClrType.Name}:{f.IsNullable}:{f.SchemaType}";

    /// <summary>log Σ_k w_k N(x; μ_k, diag σ²_k) and the posteriors, straight from the formula.</summary>
    private static (double LogLikelihood, double[] Posteriors) PlainScore(double a, double b)
    {
        var logs = new double[2];
        for (var k = 0; k < 2; k++)
        {
            double[] x = [a, b];
            var log = Math.Log(Model.Weights[k]);
            for (var j = 0; j < 2; j++)
            {
                var variance = Model.Covariances[k * 2 + j];
                var diff = x[j] - Model.Means[k * 2 + j];
                log -= 0.5 * (Math.Log(2 * Math.PI * variance) + diff * diff / variance);
            }
            logs[k] = log;
        }
        var max = Math.Max(logs[0], logs[1]);
        var total = max + Math.Log(Math.Exp(logs[0] - max) + Math.Exp(logs[1] - max));
        return (total, [Math.Exp(logs[0] - total), Math.Exp(logs[1] - total)]);
    }
}
