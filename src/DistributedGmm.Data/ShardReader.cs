using DistributedGmm.Core;
using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>
/// Reads shards of one <see cref="Dataset"/>: only the shard's row group and only the selected columns.
/// Not thread-safe: use one per worker thread. It keeps the last file open and the last row group decoded,
/// so reading the slices of one row group in order decodes it once; dispose it to close the file.
/// </summary>
public sealed class ShardReader : IDisposable, IAsyncDisposable
{
    private readonly Dataset _dataset;
    private readonly RowGroupColumns _decoded;
    private readonly ColumnDecoder _decoder = new();
    private ParquetReader? _file;
    private int _fileIndex = -1;
    private DataField[] _fields = [];
    private ColumnType[] _types = [];
    private bool[] _invalid = [];
    private int[] _kept = [];

    public ShardReader(Dataset dataset)
    {
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        _decoded = new RowGroupColumns(dataset.Dimensions);
    }

    public Dataset Dataset => _dataset;

    /// <summary>
    /// The shard's valid rows. With <paramref name="buffer"/> (at least Rows × Dimensions long) the block is
    /// written there, so a caller that reads shard after shard allocates nothing per read; without it a new array is made.
    /// </summary>
    public ShardData Read(Shard shard, double[]? buffer = null) =>
        ReadAsync(shard, buffer).GetAwaiter().GetResult();

    public async Task<ShardData> ReadAsync(Shard shard, double[]? buffer = null, CancellationToken cancellationToken = default)
    {
        var columns = await DecodeAsync(shard, cancellationToken).ConfigureAwait(false);
        return Assemble(shard, columns, buffer);
    }

    /// <summary>The decoded row group that holds the shard, valid until the next read (the prediction writer copies input columns from it).</summary>
    internal async Task<RowGroupColumns> DecodeAsync(Shard shard, CancellationToken cancellationToken)
    {
        if ((uint)shard.FileIndex >= (uint)_dataset.Files.Count || _dataset.Files[shard.FileIndex] != shard.Path)
            throw new ArgumentException($"shard {shard.Index} does not belong to this dataset", nameof(shard));
        if (_decoded.Holds(shard.FileIndex, shard.RowGroup)) return _decoded;
        var file = await OpenAsync(shard.FileIndex, cancellationToken).ConfigureAwait(false);
        if (shard.RowGroup >= file.RowGroupCount || file.RowGroups[shard.RowGroup].RowCount < shard.OffsetInRowGroup + shard.Rows)
            throw new DataException($"{shard.Path}: row group {shard.RowGroup} no longer holds the rows it held when the data was discovered; was the file changed?");
        var rowGroup = file.OpenRowGroupReader(shard.RowGroup);
        var rows = checked((int)rowGroup.RowCount);
        _decoded.Reset(shard.FileIndex, shard.RowGroup, rows);
        for (var j = 0; j < _fields.Length; j++)
        {
            var field = _fields[j];
            var column = j;
            await ParquetFiles.DecodingAsync(shard.Path, shard.RowGroup, async () =>
            {
                await _decoder.DecodeAsync(rowGroup, field, _types[column], rows, _decoded.Values[column], _decoded.Levels[column], cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            _decoded.MaxLevels[j] = field.MaxDefinitionLevel;
        }
        _decoded.MarkComplete();
        return _decoded;
    }

    private async Task<ParquetReader> OpenAsync(int fileIndex, CancellationToken cancellationToken)
    {
        if (_fileIndex == fileIndex && _file is not null) return _file;
        await CloseAsync().ConfigureAwait(false);
        var path = _dataset.Files[fileIndex];
        var file = _file = await ParquetFiles.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        var resolved = _dataset.Columns.Select(c => ColumnSchema.Resolve(file.Schema, c, path)).ToArray();
        _fields = resolved.Select(r => r.Field).ToArray();
        _types = resolved.Select(r => r.Type).ToArray();
        // Only now: were the columns not found, the next read must not take this file with the last file's fields.
        _fileIndex = fileIndex;
        return file;
    }

    private ShardData Assemble(Shard shard, RowGroupColumns columns, double[]? buffer)
    {
        var d = _dataset.Dimensions;
        var first = (int)shard.OffsetInRowGroup;
        var n = shard.Rows;
        var values = buffer ?? GC.AllocateUninitializedArray<double>(n * d);
        if (values.Length < n * d) throw new ArgumentException($"the buffer holds {values.Length} values; the shard needs {n * d}", nameof(buffer));

        var allFinite = true;
        for (var j = 0; j < d && allFinite; j++) allFinite = RowLayout.AllFinite(columns.Values[j].AsSpan(first, n));
        if (allFinite)
        {
            RowLayout.Transpose(columns.Values, first, n, values);
            return new ShardData(shard, new RowBlock(values, n, d), 0, null);
        }
        if (_dataset.Options.OnInvalid == InvalidValuePolicy.Error) throw FirstInvalid(shard, columns);

        var invalid = Buffer(ref _invalid, n);
        invalid.Clear();
        for (var j = 0; j < d; j++)
        {
            var column = columns.Values[j].AsSpan(first, n);
            for (var i = 0; i < n; i++) invalid[i] |= !double.IsFinite(column[i]);
        }
        var kept = Buffer(ref _kept, n);
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (!invalid[i]) kept[count++] = i;
        }
        RowLayout.Gather(columns.Values, first, kept[..count], values);
        return new ShardData(shard, new RowBlock(values, count, d), n - count, kept[..count].ToArray());
    }

    private DataException FirstInvalid(Shard shard, RowGroupColumns columns)
    {
        var first = (int)shard.OffsetInRowGroup;
        for (var i = 0; i < shard.Rows; i++)
        {
            for (var j = 0; j < _dataset.Dimensions; j++)
            {
                var value = columns.Values[j][first + i];
                if (double.IsFinite(value)) continue;
                var what = columns.IsNull(j, first + i) ? "null" : double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
                return new DataException($"{shard.Path}: row group {shard.RowGroup}, column \"{_dataset.Columns[j]}\", row {shard.FirstRowInFile + i}: " +
                                         $"{what} value (use --on-invalid skip to drop such rows)");
            }
        }
        throw new InvalidOperationException("a non-finite value was detected but not found");
    }

    private static Span<T> Buffer<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }

    private async ValueTask CloseAsync()
    {
        if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
        _file = null;
        _fileIndex = -1;
    }

    public void Dispose() => CloseAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => CloseAsync();
}
