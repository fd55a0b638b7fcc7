using DistributedGmm.Core.Estimation;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// Shards of Parquet files, read through the data layer. <see cref="ShardReader"/> is not thread-safe, so each
/// concurrent read rents its own reader from a <see cref="ReaderPool{T}"/>; every block is a fresh array, so workers
/// may cache it.
/// The data layer's <see cref="DataException"/> counts as bad input: it fails the fit with its one-line message.
/// </summary>
public sealed class ParquetShardSource : IShardSource, IDisposable
{
    private readonly ReaderPool<ShardReader> _readers;

    static ParquetShardSource() => InputErrors.Register(message => new DataException(message));

    public ParquetShardSource(Dataset dataset)
    {
        Dataset = dataset;
        _readers = new ReaderPool<ShardReader>(() => new ShardReader(dataset));
    }

    public static ParquetShardSource Open(IReadOnlyList<string> inputs, DataOptions options) => new(Dataset.Discover(inputs, options));

    public Dataset Dataset { get; }
    public int ShardCount => Dataset.Shards.Count;
    public int Dimensions => Dataset.Dimensions;
    public IReadOnlyList<string> Columns => Dataset.Columns;
    public string? WeightColumn => Dataset.WeightColumn;

    /// <summary>Rows before any skipping of invalid values (what discovery knows).</summary>
    public long TotalRows => Dataset.TotalRows;

    public int RowsIn(int shardId) => Dataset.Shards[shardId].Rows;

    public string Describe(int shardId)
    {
        var s = Dataset.Shards[shardId];
        return $"{s.Path}, row group {s.RowGroup} (rows {s.FirstRowInFile}–{s.FirstRowInFile + s.Rows - 1} of the file)";
    }

    /// <summary>Every selected column is FLOAT in every file, or the values are to be rounded to float32 (<see cref="DataOptions.Float32Values"/>).</summary>
    public bool ValuesAreSingle => Dataset.Options.Float32Values
                                   || Enumerable.Range(0, Dataset.Files.Count).All(f => Dataset.ColumnTypes(f).All(t => t == ColumnType.Float));

    public RowBlock Read(int shardId) => Read(shardId, null);

    public RowBlock Read(int shardId, double[]? buffer)
    {
        var reader = _readers.Rent();
        try
        {
            return reader.Read(Dataset.Shards[shardId], buffer).Block;
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    public void Dispose() => _readers.Dispose();
}
