using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Tests;

public sealed class ParquetSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gmm-cluster-").FullName;

    private ParquetShardSource Generate()
    {
        SyntheticData.Generate(new GeneratorOptions { Rows = 3000, Dimensions = 3, Components = 3, Files = 3, RowGroupRows = 250, Seed = 4 }, _dir);
        return ParquetShardSource.Open([_dir], new DataOptions { ShardRows = 100 });
    }

    [Fact]
    public async Task Parquet_shards_fit_to_the_in_memory_model_of_the_same_blocks()
    {
        using var source = Generate();
        var blocks = Enumerable.Range(0, source.ShardCount).Select(source.Read).ToArray();
        var settings = TestData.Settings();
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, 3), source, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(InMemoryFitter.Fit(blocks, source.Columns, settings), model);
        Assert.True(source.ShardCount > 16);
    }

    [Fact]
    public async Task A_corrupt_file_among_good_ones_fails_the_fit_with_the_data_layers_message()
    {
        using var source = Generate();
        var bad = source.Dataset.Files[1];
        var bytes = File.ReadAllBytes(bad);
        for (var i = 4; i < bytes.Length / 2; i++) bytes[i] = 0xA5; // data pages garbled, footer intact
        File.WriteAllBytes(bad, bytes);

        var error = await Assert.ThrowsAsync<DataException>(() =>
            EmbeddedFit.RunAsync(TestData.Job(TestData.Settings(), 3), source, null, TestData.Hooks, default));
        Assert.StartsWith($"{bad}: row group ", error.Message);
        Assert.Contains("cannot decode", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
