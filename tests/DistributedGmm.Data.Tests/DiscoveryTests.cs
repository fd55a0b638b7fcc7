namespace DistributedGmm.Data.Tests;

public class DiscoveryTests
{
    private static readonly DataOptions SmallShards = new() { ShardRows = 1000 };

    [Fact]
    public void Shard_ids_depend_on_the_files_alone()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-zstd.parquet", "b/2.parquet"), ("numeric-snappy.parquet", "a.parquet"), ("numeric-zstd.parquet", "b/10.parquet"));
        var first = Dataset.Discover([dir.Path], SmallShards);
        var again = Dataset.Discover([dir.File("b/10.parquet"), dir.File("a.parquet"), dir.File("b/*.parquet"), dir.Path], SmallShards);
        Assert.Equal(first.Files, again.Files);
        Assert.Equal(first.Shards, again.Shards);
        Assert.Equal(["a.parquet", "b/10.parquet", "b/2.parquet"], first.RelativePaths);
        // a.parquet: row groups of 2048, 2048, 904 rows cut at 1000 rows: 3 + 3 + 1 shards, equal within a row group.
        Assert.Equal([683, 683, 682, 683, 683, 682, 904], first.Shards.Where(s => s.FileIndex == 0).Select(s => s.Rows));
        Assert.Equal(Enumerable.Range(0, first.Shards.Count), first.Shards.Select(s => s.Index));
    }

    [Fact]
    public void A_shard_read_returns_exactly_its_rows()
    {
        var dataset = Dataset.Discover([Fixtures.Snappy], new DataOptions { Columns = ["big"], ShardRows = 700 });
        using var reader = new ShardReader(dataset);
        foreach (var shard in dataset.Shards.Reverse())
        {
            var block = reader.Read(shard).Block;
            Assert.Equal(shard.Rows, block.Rows);
            Assert.Equal(Enumerable.Range((int)shard.FirstRowInFile, shard.Rows).Select(i => (double)i), block.Span.ToArray());
        }
    }

    [Fact]
    public void Globs_match_within_and_across_directories()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-zstd.parquet", "x/p1.parquet"), ("numeric-zstd.parquet", "x/y/p2.parquet"), ("numeric-zstd.parquet", "q.parquet"));
        Assert.Single(Dataset.Discover([dir.File("x/p?.parquet")], SmallShards).Files);
        Assert.Equal(2, Dataset.Discover([dir.File("x/**/*.parquet")], SmallShards).Files.Count);
        Assert.Equal(3, Dataset.Discover([dir.File("**/*.parquet")], SmallShards).Files.Count);
        Assert.Contains("matches no file", Fixtures.Fails(() => Dataset.Discover([dir.File("*.csv")], SmallShards)).Message);
        Assert.Contains("no such file or directory", Fixtures.Fails(() => Dataset.Discover([dir.File("missing.parquet")], SmallShards)).Message);
    }

    /// <summary>A device is never opened: reading /dev/zero would never end, and its kind comes from statx alone.</summary>
    [Fact]
    public void A_device_given_or_linked_in_a_folder_is_refused_by_its_kind()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal("/dev/zero: a character device, not a regular file; give Parquet files or folders",
            Fixtures.Fails(() => Dataset.Discover(["/dev/zero"], SmallShards)).Message);
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-zstd.parquet", "a.parquet"));
        File.CreateSymbolicLink(dir.File("b.parquet"), "/dev/zero");
        Assert.Equal($"{dir.File("b.parquet")}: a character device, not a regular file; give Parquet files or folders",
            Fixtures.Fails(() => Dataset.Discover([dir.Path], SmallShards)).Message);
    }

    [Fact]
    public void A_wrong_schema_in_the_second_of_three_files_names_that_file()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-zstd.parquet", "1.parquet"), ("wrong-type.parquet", "2.parquet"), ("numeric-zstd.parquet", "3.parquet"));
        var error = Fixtures.Fails(() => Fixtures.Discover(dir.Path, "d", "f"));
        Assert.Equal($"{dir.File("2.parquet")}: column \"d\" is a string column: only DOUBLE, FLOAT, INT16, INT32, INT64 and DECIMAL columns can be used", error.Message);
        var missing = Fixtures.Fails(() => Fixtures.Discover(dir.Path, "small"));
        Assert.StartsWith($"{dir.File("2.parquet")}: no column \"small\"", missing.Message);
    }

    [Fact]
    public async Task Incompatible_types_across_files_are_named()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-zstd.parquet", "1.parquet"));
        var field = new Parquet.Schema.DataField<long>("d");
        await using (var stream = File.Create(dir.File("2.parquet")))
        {
            await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(field), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(field, new long[] { 1, 2 }.AsMemory());
        }
        var error = Fixtures.Fails(() => Fixtures.Discover(dir.Path, "d"));
        Assert.Equal($"{dir.File("2.parquet")}: column \"d\" is INT64, but DOUBLE in {dir.File("1.parquet")}", error.Message);
    }

    [Fact]
    public void Truncated_and_non_parquet_files_are_named_without_a_stack_trace()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixtures.Snappy);
        File.WriteAllBytes(dir.File("truncated.parquet"), bytes[..(bytes.Length / 2)]);
        File.WriteAllText(dir.File("text.parquet"), "x0,x1\n1,2\n");
        foreach (var name in new[] { "truncated.parquet", "text.parquet" })
        {
            var error = Fixtures.Fails(() => Fixtures.Discover(dir.File(name)));
            Assert.StartsWith($"{dir.File(name)}: not a valid Parquet file (", error.Message);
            Assert.DoesNotContain("\n", error.Message);
        }
    }

    [Fact]
    public void A_file_that_lost_a_column_after_discovery_fails_the_same_way_on_every_read()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-snappy.parquet", "a.parquet"), ("numeric-snappy.parquet", "b.parquet"));
        var dataset = Dataset.Discover([dir.Path], new DataOptions { Columns = ["big"] });
        File.Copy(Fixtures.Holes, dir.File("b.parquet"), overwrite: true);
        using var reader = new ShardReader(dataset);
        reader.Read(dataset.ShardsOf(0).First());
        var shard = dataset.ShardsOf(1).First();
        var first = Fixtures.Fails(() => reader.Read(shard));
        var again = Fixtures.Fails(() => reader.Read(shard));
        Assert.StartsWith($"{dir.File("b.parquet")}: no column \"big\"", first.Message);
        Assert.Equal(first.Message, again.Message);
    }

    [Fact]
    public void Corrupt_pages_are_named_with_their_row_group_and_column()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixtures.Snappy);
        for (var i = 4; i < bytes.Length / 2; i++) bytes[i] = 0xA5; // data pages garbled, footer intact
        File.WriteAllBytes(dir.File("corrupt.parquet"), bytes);
        var dataset = Fixtures.Discover(dir.File("corrupt.parquet"), "d");
        using var reader = new ShardReader(dataset);
        var error = Fixtures.Fails(() => reader.Read(dataset.Shards[0]));
        Assert.StartsWith($"{dir.File("corrupt.parquet")}: row group 0, column \"d\": cannot decode", error.Message);
    }
}
