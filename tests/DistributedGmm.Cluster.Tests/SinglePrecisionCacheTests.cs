using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Data;
using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// FLOAT columns are cached in four bytes a value and widened back exactly: the cache holds half the bytes, and a fit
/// of a FLOAT file is bit for bit the fit of a DOUBLE file holding the same values (written here by Parquet.Net).
/// </summary>
public sealed class SinglePrecisionCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gmm-single-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The standard test rows rounded to float32, in shards of uneven sizes.</summary>
    private static RowBlock[] SingleValuedShards() => TestData.Shards(3000).Select(b =>
        new RowBlock(b.Span.ToArray().Select(v => (double)(float)v).ToArray(), b.Rows, b.Dimensions)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float32_values_are_cached_in_half_the_bytes_and_come_back_exactly_on_any_thread(bool weighted)
    {
        var shards = SingleValuedShards();
        // Sample weights stay float64 beside the float32 features.
        if (weighted) shards = shards.Select(b => new RowBlock(b.Values, b.Rows, b.Dimensions, Enumerable.Range(0, b.Rows).Select(i => 0.1 * (i % 7)).ToArray())).ToArray();
        var cache = new ShardCache(new SingleSource(new InMemoryShardSource(shards)), long.MaxValue);
        Assert.Equal(4, cache.BytesPerValue);
        for (var round = 0; round < 3; round++)
            Parallel.For(0, shards.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, s =>
            {
                var block = cache.Get(s);
                Assert.Equal(shards[s].Rows, block.Rows);
                Assert.True(shards[s].Span.SequenceEqual(block.Span), $"shard {s}, round {round}");
                Assert.Equal(shards[s].Weights, block.Weights);
            });
        Assert.Equal(shards.Length, cache.CachedShards);
        Assert.Equal(shards.Sum(s => (long)s.Rows * s.Dimensions * sizeof(float) + (weighted ? s.Rows * sizeof(double) : 0)), cache.UsedBytes);
        Assert.Equal(Data.ContentHash.Of(shards[5].Span), cache.HashOf(5));
    }

    [Fact]
    public async Task A_float_file_fits_to_the_same_bits_as_a_double_file_of_the_same_values()
    {
        var shards = SingleValuedShards();
        var rows = shards.SelectMany(s => Enumerable.Range(0, s.Rows).Select(i => s.Row(i).ToArray())).ToArray();
        await Write(Path.Combine(_dir, "float", "part.parquet"), rows, single: true);
        await Write(Path.Combine(_dir, "double", "part.parquet"), rows, single: false);
        using var floats = ParquetShardSource.Open([Path.Combine(_dir, "float")], new DataOptions { ShardRows = 300 });
        using var doubles = ParquetShardSource.Open([Path.Combine(_dir, "double")], new DataOptions { ShardRows = 300 });
        Assert.True(((IShardSource)floats).ValuesAreSingle);
        Assert.False(((IShardSource)doubles).ValuesAreSingle);

        var settings = TestData.Settings();
        var fromFloats = await EmbeddedFit.RunAsync(TestData.Job(settings, 2), floats, null, TestData.Hooks, default);
        var fromDoubles = await EmbeddedFit.RunAsync(TestData.Job(settings, 3), doubles, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(fromDoubles, fromFloats);
        // And with the cache off (every iteration decodes again): still the same bits.
        var uncached = await EmbeddedFit.RunAsync(TestData.Job(settings, 2) with { CacheBytes = 0 }, floats, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(fromDoubles, uncached);
    }

    [Fact]
    public async Task Double_values_read_as_float32_fit_like_a_float_file_whatever_the_workers_or_the_cache()
    {
        var rows = TestData.Shards(3000).SelectMany(s => Enumerable.Range(0, s.Rows).Select(i => s.Row(i).ToArray())).ToArray();
        await Write(Path.Combine(_dir, "float", "part.parquet"), rows, single: true);
        await Write(Path.Combine(_dir, "double", "part.parquet"), rows, single: false);
        using var floats = ParquetShardSource.Open([Path.Combine(_dir, "float")], new DataOptions { ShardRows = 300 });
        using var rounded = ParquetShardSource.Open([Path.Combine(_dir, "double")], new DataOptions { ShardRows = 300, Float32Values = true });
        using var exact = ParquetShardSource.Open([Path.Combine(_dir, "double")], new DataOptions { ShardRows = 300 });
        Assert.NotEqual(exact.Dataset.Fingerprint.Options, rounded.Dataset.Fingerprint.Options);

        var settings = TestData.Settings();
        var fromFloats = await EmbeddedFit.RunAsync(TestData.Job(settings, 3), floats, null, TestData.Hooks, default);
        var cached = await EmbeddedFit.RunAsync(TestData.Job(settings, 2), rounded, null, TestData.Hooks, default);
        var uncached = await EmbeddedFit.RunAsync(TestData.Job(settings, 1) with { CacheBytes = 0 }, rounded, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(fromFloats, cached);
        ModelAssert.BitIdentical(fromFloats, uncached);

        // Approximate against the exact values: float32 rounding moves each value by under 6e-8 of itself.
        var reference = await EmbeddedFit.RunAsync(TestData.Job(settings, 2), exact, null, TestData.Hooks, default);
        foreach (var (a, b) in new[] { (reference.Mixture.Means, cached.Mixture.Means), (reference.Mixture.Covariances, cached.Mixture.Covariances) })
        {
            var scale = a.Max(Math.Abs);
            Assert.InRange(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() / scale, 1e-12, 1e-5);
        }
    }

    private static async Task Write(string path, double[][] rows, bool single)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var d = rows[0].Length;
        var fields = Enumerable.Range(0, d).Select(j => single ? (DataField)new DataField<float>($"x{j}") : new DataField<double>($"x{j}")).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        const int groupRows = 1100; // uneven row groups: 1100, 1100, 800
        for (var first = 0; first < rows.Length; first += groupRows)
        {
            var n = Math.Min(groupRows, rows.Length - first);
            using var group = writer.CreateRowGroup();
            for (var j = 0; j < d; j++)
            {
                var column = rows.Skip(first).Take(n).Select(r => r[j]);
                if (single) await group.WriteAsync<float>((DataField<float>)fields[j], column.Select(v => (float)v).ToArray().AsMemory());
                else await group.WriteAsync<double>((DataField<double>)fields[j], column.ToArray().AsMemory());
            }
        }
    }

    /// <summary>A source that says its values are float32 (they are: <see cref="SingleValuedShards"/>).</summary>
    private sealed class SingleSource(IShardSource inner) : SourceDecorator(inner), IShardSource
    {
        public bool ValuesAreSingle => true;
    }
}
