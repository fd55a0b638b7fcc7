namespace DistributedGmm.Data.Tests;

/// <summary>Paths of the DuckDB-written fixtures (see Fixtures/make-fixtures.sql for the formulas behind their values).</summary>
public static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Snappy => Path("numeric-snappy.parquet");
    public static string Zstd => Path("numeric-zstd.parquet");
    public static string Empty => Path("numeric-empty.parquet");
    public static string Holes => Path("holes.parquet");
    public static string WrongType => Path("wrong-type.parquet");

    /// <summary>Copies fixtures into a directory, optionally under other names.</summary>
    public static void CopyTo(string directory, params (string Fixture, string As)[] files)
    {
        foreach (var (fixture, name) in files)
        {
            var target = System.IO.Path.Combine(directory, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(Path(fixture), target);
        }
    }

    public static Dataset Discover(string input, params string[] columns) =>
        Dataset.Discover([input], new DataOptions { Columns = columns.Length == 0 ? null : columns });

    public static DataException Fails(Action action) => Assert.Throws<DataException>(action);
}
