using DistributedGmm.Core.Estimation;
using Parquet;

namespace DistributedGmm.Data.Tests;

public class PredictionWriterTests
{
    /// <summary>Two components; row x scores prob_1 = x / (1 + x) and log-likelihood −x, label 1 when x > 1.</summary>
    private static void Score(RowBlock block, Span<double> logLikelihood, Span<double> probabilities, Span<int> labels)
    {
        for (var i = 0; i < block.Rows; i++)
        {
            var x = block.Row(i)[0];
            probabilities[2 * i + 1] = x / (1 + x);
            probabilities[2 * i] = 1 - probabilities[2 * i + 1];
            logLikelihood[i] = -x;
            labels[i] = x > 1 ? 1 : 0;
        }
    }

    [Fact]
    public async Task Predictions_keep_the_input_rows_in_order_with_nulls_for_skipped_rows()
    {
        using var dir = new TempDirectory();
        var dataset = Dataset.Discover([Fixtures.Holes], new DataOptions { Columns = ["d", "holes"], OnInvalid = InvalidValuePolicy.Skip, ShardRows = 1000 });
        var output = PredictionWriter.WriteAll(dataset, 2, Score, dir.Path).Single();
        Assert.Equal(dir.File("holes.parquet"), output);

        await using var reader = await ParquetReader.CreateAsync(output);
        Assert.Equal(["d", "holes", "prediction", "prob_0", "prob_1", "log_likelihood"], reader.Schema.DataFields.Select(f => f.Name));
        var i = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var d = new double?[n]; var prediction = new int?[n]; var prob1 = new double?[n]; var ll = new double?[n];
            await group.ReadAsync<double>(reader.Schema.DataFields[0], d.AsMemory());
            await group.ReadAsync<int>(reader.Schema.DataFields[2], prediction.AsMemory());
            await group.ReadAsync<double>(reader.Schema.DataFields[4], prob1.AsMemory());
            await group.ReadAsync<double>(reader.Schema.DataFields[5], ll.AsMemory());
            for (var r = 0; r < n; r++, i++)
            {
                Assert.Equal(i * 0.5, d[r]);
                if (i % 7 == 3)
                {
                    Assert.Null(prediction[r]);
                    Assert.Null(ll[r]);
                    continue;
                }
                var x = i * 0.5;
                Assert.Equal(x > 1 ? 1 : 0, prediction[r]);
                Assert.Equal(x / (1 + x), prob1[r]);
                Assert.Equal(-x, ll[r]);
            }
        }
        Assert.Equal(5000, i);
    }

    [Fact]
    public void A_scorer_failing_midway_leaves_nothing_behind()
    {
        using var inputs = new TempDirectory();
        using var outputs = new TempDirectory();
        Fixtures.CopyTo(inputs.Path, ("numeric-snappy.parquet", "a/1.parquet"), ("numeric-snappy.parquet", "b/2.parquet"));
        var dataset = Dataset.Discover([inputs.Path], new DataOptions { Columns = ["d"], ShardRows = 1000 });
        var blocks = 0;
        var perFile = dataset.ShardsOf(0).Count();
        void FailsInSecondFile(RowBlock block, Span<double> ll, Span<double> p, Span<int> labels)
        {
            if (++blocks == perFile + 3) throw new InvalidOperationException("scorer broke");
            Score(block, ll, p, labels);
        }
        Assert.Throws<InvalidOperationException>(() => PredictionWriter.WriteAll(dataset, 2, FailsInSecondFile, outputs.Path));
        Assert.Empty(Directory.EnumerateFiles(outputs.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Predictions_never_overwrite_an_input()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-zstd.parquet", "in.parquet"));
        var dataset = Fixtures.Discover(dir.Path);
        Assert.Contains("is an input file", Fixtures.Fails(() => PredictionWriter.WriteAll(dataset, 2, Score, dir.Path)).Message);
    }
}
