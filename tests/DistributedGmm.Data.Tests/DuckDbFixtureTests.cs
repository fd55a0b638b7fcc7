namespace DistributedGmm.Data.Tests;

/// <summary>Files written by DuckDB, checked against the formulas of make-fixtures.sql.</summary>
public class DuckDbFixtureTests
{
    [Theory]
    [InlineData("numeric-snappy.parquet", 3)]
    [InlineData("numeric-zstd.parquet", 2)]
    public void Default_selection_is_the_double_and_float_columns(string file, int rowGroups)
    {
        var dataset = Fixtures.Discover(Fixtures.Path(file));
        Assert.Equal(["d", "f"], dataset.Columns);
        Assert.Equal(5000, dataset.TotalRows);
        Assert.Equal(rowGroups, dataset.Shards.Select(s => s.RowGroup).Distinct().Count());
    }

    [Theory]
    [InlineData("numeric-snappy.parquet")]
    [InlineData("numeric-zstd.parquet")]
    public void Every_numeric_type_reads_as_its_formula(string file)
    {
        var dataset = Fixtures.Discover(Fixtures.Path(file), "d", "f", "big", "small", "dec");
        Assert.Equal([ColumnType.Double, ColumnType.Float, ColumnType.Int64, ColumnType.Int16, ColumnType.Decimal], dataset.ColumnTypes(0));
        using var reader = new ShardReader(dataset);
        var seen = 0;
        foreach (var shard in dataset.Shards)
        {
            var block = reader.Read(shard).Block;
            for (var r = 0; r < block.Rows; r++)
            {
                var i = shard.FirstRowInFile + r;
                var row = block.Row(r);
                Assert.Equal(i * 0.5, row[0]);
                Assert.Equal(i * 0.25, row[1]);
                Assert.Equal(i, row[2]);
                Assert.Equal(i - 500, row[3]);
                Assert.Equal(i / 100.0 + 1, row[4], 1e-12);
                seen++;
            }
        }
        Assert.Equal(5000, seen);
    }

    [Fact]
    public void Nulls_in_a_column_not_selected_are_fine()
    {
        var dataset = Fixtures.Discover(Fixtures.Holes, "d");
        using var reader = new ShardReader(dataset);
        Assert.All(dataset.Shards, s => Assert.Equal(0, reader.Read(s).SkippedRows));
    }

    [Fact]
    public void A_null_in_a_selected_column_names_file_row_group_column_and_row()
    {
        var dataset = Fixtures.Discover(Fixtures.Holes, "d", "holes");
        using var reader = new ShardReader(dataset);
        var error = Fixtures.Fails(() => reader.Read(dataset.Shards[0]));
        Assert.Equal($"{Fixtures.Holes}: row group 0, column \"holes\", row 3: null value (use --on-invalid skip to drop such rows)", error.Message);
        // In the second row group the first null is at the first i ≥ 2048 with i % 7 = 3: 2054.
        Assert.Contains("row group 1, column \"holes\", row 2054: null value", Fixtures.Fails(() => reader.Read(dataset.Shards[1])).Message);
    }

    [Fact]
    public void NaN_and_infinity_are_invalid()
    {
        var dataset = Fixtures.Discover(Fixtures.Holes, "nan");
        using var reader = new ShardReader(dataset);
        Assert.EndsWith("column \"nan\", row 5: NaN value (use --on-invalid skip to drop such rows)", Fixtures.Fails(() => reader.Read(dataset.Shards[0])).Message);

        var skipping = Dataset.Discover([Fixtures.Holes], new DataOptions { Columns = ["nan"], OnInvalid = InvalidValuePolicy.Skip });
        using var skipReader = new ShardReader(skipping);
        var data = skipReader.Read(skipping.Shards[0]);
        Assert.Equal(2, data.SkippedRows); // the NaN at row 5 and the -Infinity at row 9
        Assert.DoesNotContain(5, data.KeptRows!);
        Assert.DoesNotContain(9, data.KeptRows!);
    }

    [Fact]
    public void Skip_drops_rows_with_nulls_and_says_which_were_kept()
    {
        var dataset = Dataset.Discover([Fixtures.Holes], new DataOptions { Columns = ["d", "holes"], OnInvalid = InvalidValuePolicy.Skip, ShardRows = 1000 });
        using var reader = new ShardReader(dataset);
        long skipped = 0, kept = 0;
        foreach (var shard in dataset.Shards)
        {
            var data = reader.Read(shard);
            skipped += data.SkippedRows;
            kept += data.Block.Rows;
            Assert.Equal(shard.Rows, data.Block.Rows + data.SkippedRows);
            for (var r = 0; r < data.Block.Rows; r++)
            {
                var i = shard.FirstRowInFile + (data.KeptRows?[r] ?? r);
                Assert.NotEqual(3, i % 7);
                Assert.Equal(i * 0.5, data.Block.Row(r)[0]);
                Assert.Equal(i * 2.0, data.Block.Row(r)[1]);
            }
        }
        var expectedNulls = Enumerable.Range(0, 5000).Count(i => i % 7 == 3);
        Assert.Equal(expectedNulls, skipped);
        Assert.Equal(5000 - expectedNulls, kept);
    }

    [Theory]
    [InlineData("name", "is a string column")]
    [InlineData("even", "is a boolean column")]
    [InlineData("pair", "is a nested column")]
    [InlineData("nope", "no column \"nope\"")]
    public void Unusable_columns_are_named(string column, string message)
    {
        var error = Fixtures.Fails(() => Fixtures.Discover(Fixtures.Snappy, "d", column));
        Assert.StartsWith($"{Fixtures.Snappy}: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_empty_file_is_fine_beside_others_but_alone_is_an_error()
    {
        using var dir = new TempDirectory();
        Fixtures.CopyTo(dir.Path, ("numeric-empty.parquet", "a.parquet"), ("numeric-zstd.parquet", "b.parquet"));
        var dataset = Fixtures.Discover(dir.Path);
        Assert.Equal(5000, dataset.TotalRows);
        Assert.All(dataset.Shards, s => Assert.Equal(1, s.FileIndex));
        Assert.Contains("holds no rows", Fixtures.Fails(() => Fixtures.Discover(Fixtures.Empty)).Message);
    }
}
