using DistributedGmm.Core.Estimation;
using DistributedGmm.Data.ObjectStorage;
using Parquet.Schema;
using Parquet;

namespace DistributedGmm.Data;

/// <summary>
/// Reads shards of one <see cref="Dataset"/>: only the shard's row group and only the selected columns.
/// Not thread-safe: use one per worker thread. It keeps the last file open and the last row group decoded,
/// so reading the slices of one row group in order decodes it once (a shard that is a whole row group skips that
/// and goes straight into its block, column by column); dispose it to close the file.
/// </summary>
public sealed class ShardReader : IDisposable, IAsyncDisposable
{
    private readonly Dataset _dataset;
    private readonly RowGroupColumns _decoded;
    private readonly ColumnDecoder _decoder = new();
    private ParquetReader? _file;
    private ObjectRangeStream? _ranges;
    private int _fileIndex = -1;
    private DataField[] _fields = [];
    private ColumnType[] _types = [];
    private bool[] _invalid = [];
    private int[] _kept = [];
    private double[] _column = [];
    private int[] _columnLevels = [];

    public ShardReader(Dataset dataset)
    {
        _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        _decoded = new RowGroupColumns(dataset.ReadColumns.Count);
    }

    public Dataset Dataset => _dataset;

    /// <summary>
    /// The shard's valid rows. With <paramref name="buffer"/> (at least Rows × Dimensions long) the block is
    /// written there, so a caller that reads shard after shard allocates nothing per read; without it a new array is
    /// made, pinned (see <see cref="Destination"/>).
    /// </summary>
    public ShardData Read(Shard shard, double[]? buffer = null) =>
        ReadAsync(shard, buffer).GetAwaiter().GetResult();

    public async Task<ShardData> ReadAsync(Shard shard, double[]? buffer = null, CancellationToken cancellationToken = default)
    {
        var values = Destination(shard, buffer);
        if (!_decoded.Holds(shard.FileIndex, shard.RowGroup) &&
            await TryReadByColumnAsync(shard, values, cancellationToken).ConfigureAwait(false) is { } data)
            return data;
        var columns = await DecodeAsync(shard, cancellationToken).ConfigureAwait(false);
        return Assemble(shard, columns, values);
    }

    /// <summary>
    /// The shard's rows together with the decoded row group that holds them, valid until the next read (the
    /// prediction writer copies input columns from it).
    /// </summary>
    internal async Task<(ShardData Data, RowGroupColumns Columns)> ReadWithColumnsAsync(Shard shard, double[]? buffer, CancellationToken cancellationToken)
    {
        var values = Destination(shard, buffer);
        var columns = await DecodeAsync(shard, cancellationToken).ConfigureAwait(false);
        return (Assemble(shard, columns, values), columns);
    }

    /// <summary>
    /// Where the shard's rows go: the caller's buffer, or else a new block the caller keeps, often for the whole fit
    /// (workers cache them), so it goes to the pinned object heap. On the large object heap it would sit between the
    /// short-lived arrays Parquet.Net allocates as it decodes, and the GC, which does not compact that heap unless
    /// asked, kept their holes committed beside the cache (tests/benchmarks/README.md, peak memory).
    /// </summary>
    private double[] Destination(Shard shard, double[]? buffer)
    {
        CheckBelongs(shard);
        var length = shard.Rows * _dataset.Dimensions;
        if (buffer is null) return GC.AllocateUninitializedArray<double>(length, pinned: true);
        if (buffer.Length < length) throw new ArgumentException($"the buffer holds {buffer.Length} values; the shard needs {length}", nameof(buffer));
        return buffer;
    }

    private async Task<RowGroupColumns> DecodeAsync(Shard shard, CancellationToken cancellationToken)
    {
        if (_decoded.Holds(shard.FileIndex, shard.RowGroup)) return _decoded;
        var rowGroup = await OpenRowGroupAsync(shard, cancellationToken).ConfigureAwait(false);
        var rows = checked((int)rowGroup.RowCount);
        _decoded.Reset(shard.FileIndex, shard.RowGroup, rows, _fields);
        for (var j = 0; j < _fields.Length; j++)
        {
            await DecodeColumnAsync(shard, rowGroup, j, _decoded.Values[j], _decoded.Levels[j], cancellationToken).ConfigureAwait(false);
        }
        _decoded.MarkComplete();
        return _decoded;
    }

    /// <summary>
    /// Reads a shard that is a whole row group one column at a time, each written into the block as soon as it is
    /// decoded, so only one decoded column is held besides the block (a whole decoded row group per reader was the
    /// largest transient of a fit's first pass). Null, with nothing kept, when the shard is a slice of a larger row
    /// group (its other slices will want the decoded columns) or a column holds an invalid value (the whole row
    /// group is then needed to drop the row or name the value).
    /// </summary>
    private async Task<ShardData?> TryReadByColumnAsync(Shard shard, double[] values, CancellationToken cancellationToken)
    {
        var rowGroup = await OpenRowGroupAsync(shard, cancellationToken).ConfigureAwait(false);
        if (shard.OffsetInRowGroup != 0 || rowGroup.RowCount != shard.Rows) return null;
        var (n, d) = (shard.Rows, _dataset.Dimensions);
        if (_column.Length < n) _column = GC.AllocateUninitializedArray<double>(n);
        if (_columnLevels.Length < n && _fields.Any(f => f.MaxDefinitionLevel > 0)) _columnLevels = GC.AllocateUninitializedArray<int>(n);
        for (var j = 0; j < d; j++)
        {
            await DecodeColumnAsync(shard, rowGroup, j, _column, _columnLevels, cancellationToken).ConfigureAwait(false);
            if (!RowLayout.AllUsable(_column.AsSpan(0, n))) return null;
            RowLayout.WriteColumn(_column.AsSpan(0, n), j, d, values);
        }
        double[]? weights = null;
        if (_dataset.WeightColumn is not null)
        {
            await DecodeColumnAsync(shard, rowGroup, d, _column, _columnLevels, cancellationToken).ConfigureAwait(false);
            if (!AllUsableWeights(_column.AsSpan(0, n))) return null;
            weights = _column.AsSpan(0, n).ToArray();
        }
        return new ShardData(shard, new RowBlock(values, n, d, weights), 0, null);
    }

    private void CheckBelongs(Shard shard)
    {
        if ((uint)shard.FileIndex >= (uint)_dataset.Files.Count || _dataset.Files[shard.FileIndex] != shard.Path)
            throw new ArgumentException($"shard {shard.Index} does not belong to this dataset", nameof(shard));
    }

    private async Task<ParquetRowGroupReader> OpenRowGroupAsync(Shard shard, CancellationToken cancellationToken)
    {
        var file = await OpenAsync(shard.FileIndex, cancellationToken).ConfigureAwait(false);
        if (shard.RowGroup >= file.RowGroupCount || file.RowGroups[shard.RowGroup].RowCount < shard.OffsetInRowGroup + shard.Rows)
            throw new DataException($"{shard.Path}: row group {shard.RowGroup} no longer holds the rows it held when the data was discovered; was the file changed?");
        var rowGroup = file.OpenRowGroupReader(shard.RowGroup);
        _ranges?.Plan(_fields.Select(f => ColumnChunkRange(rowGroup, f)));
        return rowGroup;
    }

    /// <summary>
    /// Where a column chunk's bytes lie: from its first page (dictionary, index or data page: the smallest offset
    /// that is set, as Parquet.Net starts reading there) for its compressed size.
    /// </summary>
    private static (long Start, long Length) ColumnChunkRange(ParquetRowGroupReader rowGroup, DataField field)
    {
        var meta = rowGroup.GetMetadata(field)?.MetaData;
        if (meta is null) return (0, 0);
        var start = new[] { meta.DictionaryPageOffset ?? 0, meta.DataPageOffset, meta.IndexPageOffset ?? 0 }.Where(o => o != 0).DefaultIfEmpty(0).Min();
        return (start, meta.TotalCompressedSize);
    }

    private Task DecodeColumnAsync(Shard shard, ParquetRowGroupReader rowGroup, int column, double[] destination, int[] levels,
        CancellationToken cancellationToken) =>
        ParquetFiles.DecodingAsync(shard.Path, shard.RowGroup, async () =>
        {
            await _decoder.DecodeAsync(rowGroup, _fields[column], _types[column], checked((int)rowGroup.RowCount), destination, levels, cancellationToken).ConfigureAwait(false);
            return true;
        }, _fields[column].Name);

    private async Task<ParquetReader> OpenAsync(int fileIndex, CancellationToken cancellationToken)
    {
        if (_fileIndex == fileIndex && _file is not null) return _file;
        await CloseAsync().ConfigureAwait(false);
        var path = _dataset.Files[fileIndex];
        var (file, ranges) = await ParquetFiles.OpenAsync(_dataset, fileIndex, cancellationToken).ConfigureAwait(false);
        (_file, _ranges) = (file, ranges);
        var resolved = _dataset.ReadColumns.Select(c => ColumnSchema.Resolve(file.Schema, c, path)).ToArray();
        _fields = resolved.Select(r => r.Field).ToArray();
        _types = resolved.Select(r => r.Type).ToArray();
        // Only now: were the columns not found, the next read must not take this file with the last file's fields.
        _fileIndex = fileIndex;
        return file;
    }

    private ShardData Assemble(Shard shard, RowGroupColumns columns, double[] values)
    {
        var d = _dataset.Dimensions;
        var first = (int)shard.OffsetInRowGroup;
        var n = shard.Rows;

        var weighted = _dataset.WeightColumn is not null;
        var features = weighted ? columns.Values[..d] : columns.Values;
        var allUsable = !weighted || AllUsableWeights(columns.Values[d].AsSpan(first, n));
        for (var j = 0; j < d && allUsable; j++) allUsable = RowLayout.AllUsable(columns.Values[j].AsSpan(first, n));
        if (allUsable)
        {
            RowLayout.Transpose(features, first, n, values);
            return new ShardData(shard, new RowBlock(values, n, d, weighted ? columns.Values[d].AsSpan(first, n).ToArray() : null), 0, null);
        }
        if (FirstTooLarge(shard, columns) is { } tooLarge) throw tooLarge;
        if (_dataset.Options.OnInvalid == InvalidValuePolicy.Error) throw FirstInvalid(shard, columns);

        var invalid = Buffer(ref _invalid, n);
        invalid.Clear();
        for (var j = 0; j < d; j++)
        {
            var column = columns.Values[j].AsSpan(first, n);
            for (var i = 0; i < n; i++) invalid[i] |= !double.IsFinite(column[i]);
        }
        if (weighted)
        {
            var column = columns.Values[d].AsSpan(first, n);
            for (var i = 0; i < n; i++) invalid[i] |= !(column[i] >= 0 && double.IsFinite(column[i]));
        }
        var kept = Buffer(ref _kept, n);
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (!invalid[i]) kept[count++] = i;
        }
        RowLayout.Gather(features, first, kept[..count], values);
        double[]? keptWeights = null;
        if (weighted)
        {
            keptWeights = new double[count];
            var column = columns.Values[d].AsSpan(first);
            for (var i = 0; i < count; i++) keptWeights[i] = column[kept[i]];
        }
        return new ShardData(shard, new RowBlock(values, count, d, keptWeights), n - count, kept[..count].ToArray());
    }

    /// <summary>
    /// A finite value too large for the arithmetic is refused whatever --on-invalid says: it is not a missing value
    /// that can be dropped, and skipping it would silently bias the fit towards the smaller values.
    /// </summary>
    private DataException? FirstTooLarge(Shard shard, RowGroupColumns columns)
    {
        var first = (int)shard.OffsetInRowGroup;
        var names = _dataset.ReadColumns;
        for (var i = 0; i < shard.Rows; i++)
        {
            for (var j = 0; j < names.Count; j++)
            {
                var value = columns.Values[j][first + i];
                if (!double.IsFinite(value) || Math.Abs(value) <= UsableMagnitude.Max) continue;
                return new DataException(FormattableString.Invariant(
                    $"{shard.Path}: row group {shard.RowGroup}, column \"{names[j]}\", row {shard.FirstRowInFile + i}: {value:R} is too large: ") +
                    $"values up to {UsableMagnitude.Text} in magnitude can be used (squares of larger ones overflow); rescale the column");
            }
        }
        return null;
    }

    private DataException FirstInvalid(Shard shard, RowGroupColumns columns)
    {
        var first = (int)shard.OffsetInRowGroup;
        var names = _dataset.ReadColumns;
        for (var i = 0; i < shard.Rows; i++)
        {
            for (var j = 0; j < names.Count; j++)
            {
                var value = columns.Values[j][first + i];
                var isWeight = j == _dataset.Dimensions;
                if (double.IsFinite(value) && !(isWeight && value < 0)) continue;
                var what = columns.IsNull(j, first + i) ? "null" : double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Infinity" : double.IsNegativeInfinity(value) ? "-Infinity"
                    : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                return new DataException($"{shard.Path}: row group {shard.RowGroup}, column \"{names[j]}\", row {shard.FirstRowInFile + i}: " +
                                         (isWeight ? $"{what} weight: weights must be finite numbers ≥ 0" : $"{what} value") + " (use --on-invalid skip to drop such rows)");
            }
        }
        throw new InvalidOperationException("a non-finite value was detected but not found");
    }

    /// <summary>Every weight usable: finite, ≥ 0 and within <see cref="UsableMagnitude.Max"/> (a NaN fails both comparisons).</summary>
    private static bool AllUsableWeights(ReadOnlySpan<double> weights)
    {
        foreach (var w in weights)
            if (!(w >= 0 && w <= UsableMagnitude.Max)) return false;
        return true;
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
        _ranges = null;
        _fileIndex = -1;
    }

    public void Dispose() => CloseAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => CloseAsync();
}
