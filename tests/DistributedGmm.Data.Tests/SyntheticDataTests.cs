using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Data.Tests;

public class SyntheticDataTests
{
    private static readonly GeneratorOptions Small = new() { Rows = 2500, Dimensions = 3, Components = 4, Files = 2, RowGroupRows = 500, Seed = 7 };

    private static double[] ReadAll(string dir, params string[] columns)
    {
        var dataset = Dataset.Discover([dir], new DataOptions { Columns = columns.Length == 0 ? null : columns });
        using var reader = new ShardReader(dataset);
        return dataset.Shards.SelectMany(s => reader.Read(s).Block.Span.ToArray()).ToArray();
    }

    [Fact]
    public void Generation_is_deterministic_and_has_the_asked_shape()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        SyntheticData.Generate(Small, a.Path);
        SyntheticData.Generate(Small, b.Path);
        var dataset = Dataset.Discover([a.Path], new DataOptions());
        Assert.Equal(["x0", "x1", "x2"], dataset.Columns);
        Assert.Equal(["part-00000.parquet", "part-00001.parquet"], dataset.RelativePaths);
        Assert.Equal([1250L, 1250L], dataset.FileRows);
        Assert.Equal([500, 500, 250, 500, 500, 250], dataset.Shards.Select(s => s.Rows));
        Assert.Equal(ReadAll(a.Path), ReadAll(b.Path));
        using var other = new TempDirectory();
        SyntheticData.Generate(Small with { Seed = 8 }, other.Path);
        Assert.NotEqual(ReadAll(a.Path), ReadAll(other.Path));

        var labels = ReadAll(a.Path, "component");
        Assert.Equal(Enumerable.Range(0, 4).Select(k => (double)k), labels.Distinct().Order());
    }

    [Fact]
    public void The_truth_file_is_a_valid_model_that_matches_the_data()
    {
        using var dir = new TempDirectory();
        var truth = SyntheticData.Generate(Small with { Rows = 20_000, Files = 1, RowGroupRows = 20_000 }, dir.Path);
        var read = ModelFile.Parse(File.ReadAllBytes(Path.Combine(dir.Path, SyntheticData.TruthFileName)), "truth.json");
        Assert.Equal(["x0", "x1", "x2"], read.Columns);
        Assert.Equal(truth.Mixture.Means, read.Mixture.Means);
        Assert.Equal(1, read.Mixture.Weights.Sum(), 1e-12);
        Assert.All(read.Mixture.Weights, w => Assert.True(w > 1.0 / (3 * 4)));

        // The overall sample mean is the weighted mean of the component means (within sampling error).
        var values = ReadAll(dir.Path);
        for (var j = 0; j < 3; j++)
        {
            var expected = Enumerable.Range(0, 4).Sum(k => truth.Mixture.Weights[k] * truth.Mixture.Means[k * 3 + j]);
            var actual = Enumerable.Range(0, 20_000).Average(i => values[i * 3 + j]);
            Assert.Equal(expected, actual, 0.15);
        }
    }

    [Fact]
    public void The_seed_example_is_100_rows_in_2_dimensions_with_spread_about_10()
    {
        using var dir = new TempDirectory();
        var path = SyntheticData.SeedExample(dir.Path, 0);
        var dataset = Dataset.Discover([path], new DataOptions());
        Assert.Equal(["x0", "x1"], dataset.Columns);
        Assert.Equal(100, dataset.TotalRows);
        var values = ReadAll(path);
        var sd = Math.Sqrt(values.Select(x => x * x).Average());
        Assert.InRange(sd, 7, 13); // √(1 + 100) ≈ 10.05
    }
}
