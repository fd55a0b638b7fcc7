using DistributedGmm.Core;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Data;

/// <summary>
/// The input files, validated, and their shards. Built once by <see cref="Discover"/>; immutable, so it can be
/// shared by every worker thread and sent, as its inputs and options, to other machines that discover the same shards.
/// </summary>
public sealed class Dataset
{
    private readonly ColumnType[][] _columnTypes;

    private Dataset(IReadOnlyList<string> files, IReadOnlyList<string> relativePaths, IReadOnlyList<long> fileRows,
        IReadOnlyList<long> fileSizes, IReadOnlyList<ulong> footerHashes,
        IReadOnlyList<Shard> shards, IReadOnlyList<string> columns, ColumnType[][] columnTypes, DataOptions options)
    {
        Files = files;
        RelativePaths = relativePaths;
        FileRows = fileRows;
        Shards = shards;
        Columns = columns;
        _columnTypes = columnTypes;
        Options = options;
        TotalRows = fileRows.Sum();
        Fingerprint = new DataFingerprint(files, fileRows, fileSizes, footerHashes, columns, shards.Count,
            $"on-invalid {options.OnInvalid.ToString().ToLowerInvariant()}, shard-rows {options.ShardRows.ToString(System.Globalization.CultureInfo.InvariantCulture)}" +
            (options.WeightColumn is { } weight ? $", weight-column {weight}" : "") +
            (options.Float32Values ? ", cache-precision float32" : ""));
    }

    /// <summary>
    /// The dataset's identity, the one definition checkpoints and worker nodes compare: files, rows, sizes, footer
    /// hashes, columns, shards and options (each shard's content is hashed as it is decoded, see <see cref="ContentHash"/>).
    /// </summary>
    public DataFingerprint Fingerprint { get; }

    /// <summary>Full paths, sorted (ordinal), without duplicates.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Each file's path relative to the deepest directory holding them all ('/'-separated): distinct by construction.</summary>
    public IReadOnlyList<string> RelativePaths { get; }

    /// <summary>Rows in each file, before any skipping.</summary>
    public IReadOnlyList<long> FileRows { get; }

    /// <summary>In id order: <c>Shards[i].Index == i</c>.</summary>
    public IReadOnlyList<Shard> Shards { get; }

    /// <summary>The selected columns, in the order of the values in each row.</summary>
    public IReadOnlyList<string> Columns { get; }

    public int Dimensions => Columns.Count;

    /// <summary>The column that weights the rows (<see cref="DataOptions.WeightColumn"/>), or null.</summary>
    public string? WeightColumn => Options.WeightColumn;

    /// <summary>The columns a reader decodes: the features, then the weight column if there is one.</summary>
    internal IReadOnlyList<string> ReadColumns => WeightColumn is { } w ? [.. Columns, w] : Columns;

    /// <summary>Rows in all files, before any skipping.</summary>
    public long TotalRows { get; }

    public DataOptions Options { get; }

    /// <summary>
    /// When the columns were not named: each numeric column that is not a default feature, with why
    /// ("waiting (INT64)"), for a note to the user. Empty when the columns were named.
    /// </summary>
    public IReadOnlyList<string> LeftOutColumns { get; private init; } = [];

    /// <summary>The physical type of each selected column in one file (files may differ within a compatible family).</summary>
    public IReadOnlyList<ColumnType> ColumnTypes(int fileIndex) => _columnTypes[fileIndex];

    /// <summary>The shards of one file, in row order.</summary>
    public IEnumerable<Shard> ShardsOf(int fileIndex) => Shards.Where(s => s.FileIndex == fileIndex);

    public static Dataset Discover(IReadOnlyList<string> inputs, DataOptions options) =>
        DiscoverAsync(inputs, options).GetAwaiter().GetResult();

    /// <summary>
    /// Resolves the inputs to files, reads every footer (not the data), checks the selected columns exist with
    /// compatible types in every file, and cuts row groups into shards of at most <see cref="DataOptions.ShardRows"/> rows
    /// (<see cref="ShardCutting"/>).
    /// </summary>
    public static async Task<Dataset> DiscoverAsync(IReadOnlyList<string> inputs, DataOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ShardRows < 1) throw new DataException($"shard rows must be at least 1, got {options.ShardRows}");
        if (options.Columns is { Count: 0 }) throw new DataException("no columns selected: name at least one column, or none to take every DOUBLE and FLOAT column");
        if (options.Columns?.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new DataException($"column \"{repeated.Key}\" is selected more than once: {string.Join(", ", options.Columns)}");

        var files = InputPaths.Resolve(inputs);
        var schemas = new Parquet.Schema.ParquetSchema[files.Count];
        var rowGroupRows = new long[files.Count][];
        var fileSizes = new long[files.Count];
        var footerHashes = new ulong[files.Count];
        for (var f = 0; f < files.Count; f++)
        {
            await using var reader = await ParquetFiles.OpenAsync(files[f], cancellationToken).ConfigureAwait(false);
            schemas[f] = reader.Schema;
            (fileSizes[f], footerHashes[f]) = ContentHash.Footer(files[f]);
            rowGroupRows[f] = Enumerable.Range(0, reader.RowGroupCount).Select(g => reader.RowGroups[g].RowCount).ToArray();
        }
        var weightColumn = options.WeightColumn is { } askedWeight ? ColumnSchema.Named(schemas[0], askedWeight) : null;
        if (weightColumn is not null) options = options with { WeightColumn = weightColumn };
        var (columns, leftOut) = options.Columns is { } asked
            ? (asked.Select(c => ColumnSchema.Named(schemas[0], c)).ToArray(), [])
            : DefaultFeatures.Resolve(files, schemas, weightColumn);
        if (weightColumn is not null && columns.Contains(weightColumn, StringComparer.Ordinal))
            throw new DataException($"column \"{weightColumn}\" is the weight column and cannot be a feature too: leave it out of --columns");
        if (columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DataException($"column \"{twice.Key}\" is selected more than once: {string.Join(", ", columns)}");

        var shards = new List<Shard>();
        var shardRows = ShardCutting.ShardRows(rowGroupRows.Sum(r => r.Sum()), options.ShardRows);
        var fileRows = new long[files.Count];
        var columnTypes = new ColumnType[files.Count][];
        for (var f = 0; f < files.Count; f++)
        {
            var path = files[f];
            columnTypes[f] = columns.Select(c => ColumnSchema.Resolve(schemas[f], c, path).Type).ToArray();
            if (f > 0) CheckSameFamily(files, columns, columnTypes, f);
            if (weightColumn is not null) ColumnSchema.Resolve(schemas[f], weightColumn, path);
            long firstRow = 0;
            for (var g = 0; g < rowGroupRows[f].Length; g++)
            {
                var rows = rowGroupRows[f][g];
                foreach (var (offset, sliceRows) in ShardCutting.Slices(rows, shardRows))
                    shards.Add(new Shard(shards.Count, f, path, g, offset, sliceRows, firstRow + offset));
                firstRow += rows;
            }
            fileRows[f] = firstRow;
        }
        if (fileRows.Sum() == 0)
            throw new DataException(files.Count == 1 ? $"{files[0]}: the file holds no rows" : $"no rows: all {files.Count} input files are empty");

        var common = InputPaths.CommonDirectory(files);
        var relative = files.Select(p => Path.GetRelativePath(common, p).Replace('\\', '/')).ToArray();
        return new Dataset(files, relative, fileRows, fileSizes, footerHashes, shards, columns.ToArray(), columnTypes, options) { LeftOutColumns = leftOut };
    }

    private static void CheckSameFamily(List<string> files, IReadOnlyList<string> columns, ColumnType[][] types, int f)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            if (!types[f][c].IsCompatibleWith(types[0][c]))
                throw new DataException($"{files[f]}: column \"{columns[c]}\" is {types[f][c].ToName()}, but {types[0][c].ToName()} in {files[0]}");
        }
    }
}
