
namespace DistributedGmm.Cli.Tests;

/// <summary>
/// A checkpointed fit resumed after one input file changed in place, keeping its size, is refused with one line:
/// by its footer when the change shows there (a new maximum), by the shards' content hashes when it does not
/// (two rows swapped: the same values, sizes and statistics, a different dataset).
/// </summary>
public sealed class DataIdentityTests : IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private static double[][] Columns(int rows, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, rows).Select(i => (i % 3) * 5 + random.NextDouble()).ToArray())];
    }

    /// <summary>Uncompressed, so that a file of the same values in another order has the same size and footer.</summary>
    private static void Write(string path, double[][] columns) => TestParquet.Write(path, [("a", columns[0]), ("b", columns[1])], uncompressed: true);

    private string[] Fit(string output, params string[] extra) =>
        ["fit", "data", "-k", "3", "--seed", "2", "--max-iter", "5", "--tol", "0", "--checkpoint", "cp", "--quiet", "--out", output, .. extra];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_resume_after_a_same_size_change_in_place_is_refused(bool footerChanges)
    {
        Directory.CreateDirectory(_work["data"]);
        Write(_work["data/part-0.parquet"], Columns(3000, 1));
        var file = _work["data/part-1.parquet"];
        var columns = Columns(3000, 2);
        Write(file, columns);
        var first = Gmm.Run(_work.Path, Fit("first.json"));
        Assert.True(first.ExitCode == 0, first.ToString());

        var size = new FileInfo(file).Length;
        var footer = File.ReadAllBytes(file)[^200..];
        if (footerChanges) columns[0][100] = 1e6; // a new maximum: the column chunk's statistics change
        else foreach (var column in columns) (column[10], column[2500]) = (column[2500], column[10]);
        Write(file, columns);
        Assert.Equal(size, new FileInfo(file).Length);
        Assert.Equal(!footerChanges, footer.AsSpan().SequenceEqual(File.ReadAllBytes(file)[^200..]));

        var resumed = Gmm.Run(_work.Path, Fit("resumed.json", "--resume"));
        Assert.True(resumed.ExitCode == 2, resumed.ToString());
        var line = Assert.Single(resumed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("gmm: error:", StringComparison.Ordinal));
        Assert.Contains(file, line);
        Assert.Contains(footerChanges ? "Parquet footer" : "row group 0", line);
        Assert.False(File.Exists(_work["resumed.json"]));

        // A fresh fit of the changed data runs (and records what it read).
        var fresh = Gmm.Run(_work.Path, ["fit", "data", "-k", "3", "--seed", "2", "--max-iter", "5", "--quiet", "--out", "fresh.json"]);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
    }

    /// <summary>
    /// What a worker node checks at join: its own discovery of the coordinator's paths must give the coordinator's
    /// fingerprint. A same-size copy with another maximum (another footer) is refused, naming the file.
    /// </summary>
    [Fact]
    public void A_node_that_sees_a_same_size_copy_with_another_footer_refuses_to_join()
    {
        Directory.CreateDirectory(_work["data"]);
        var file = _work["data/part-0.parquet"];
        var columns = Columns(2000, 3);
        Write(file, columns);
        var spec = DistributedGmm.Cluster.Sources.DatasetFingerprint.Spec(
            DistributedGmm.Data.Dataset.Discover([_work["data"]], new DistributedGmm.Data.DataOptions()));
        DistributedGmm.Cluster.Sources.DatasetFingerprint.Open(spec).Dispose();
        var size = new FileInfo(file).Length;
        columns[1][7] = -1e6;
        Write(file, columns);
        Assert.Equal(size, new FileInfo(file).Length);
        var error = Assert.Throws<InvalidOperationException>(() => DistributedGmm.Cluster.Sources.DatasetFingerprint.Open(spec));
        Assert.Equal($"sees a different dataset than the coordinator: {file}: same size, but its Parquet footer (row groups, column chunks, statistics) differs (this node's view first)",
            error.Message);
    }
}
