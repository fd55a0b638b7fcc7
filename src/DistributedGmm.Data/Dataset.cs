using DistributedGmm.Core.Persistence;
using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Data;

/// <summary>
/// The input files, validated, and their shards. Built once by <see cref="Discover"/>; immutable, so it can be
/// shared by every worker thread and sent, as its inputs and options, to other machines that discover the same shards.
/// </summary>
public sealed class Dataset
{
    private readonly ColumnType[][] _columnTypes;
    private IReadOnlyList<StoredObject?> _objects = [];

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

    /// <summary>Full paths and s3:// URIs, sorted (ordinal), without duplicates.</summary>
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

    /// <summary>The object store the s3:// files are read from; null when every file is local.</summary>
    public ObjectStore? Store { get; private init; }

    /// <summary>File <paramref name="fileIndex"/> as discovery saw it in object storage (size, ETag), or null for a local file.</summary>
    public StoredObject? ObjectAt(int fileIndex) => _objects.Count == 0 ? null : _objects[fileIndex];

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

        if (inputs.Count == 0) throw new DataException("no input: give at least one Parquet file, directory or glob");
        var (files, objects, store) = await ResolveAsync(inputs, options, cancellationToken).ConfigureAwait(false);
        var schemas = new Parquet.Schema.ParquetSchema[files.Count];
        var rowGroupRows = new long[files.Count][];
        var fileSizes = new long[files.Count];
        var footerHashes = new ulong[files.Count];
        for (var f = 0; f < files.Count; f++)
        {
            if (objects[f] is { } obj)
            {
                // The footer hash of an object covers its ETag too: a replaced object is another dataset.
                var ranges = await ObjectRangeStream.OpenAsync(store!, obj, cancellationToken).ConfigureAwait(false);
                await using var remote = await ParquetFiles.OpenAsync(ranges, cancellationToken).ConfigureAwait(false);
                (schemas[f], fileSizes[f], footerHashes[f]) = (remote.Schema, obj.Size, ranges.FooterHash);
                rowGroupRows[f] = Enumerable.Range(0, remote.RowGroupCount).Select(g => remote.RowGroups[g].RowCount).ToArray();
                continue;
            }
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

        var relative = store is null
            ? RelativeTo(InputPaths.CommonDirectory(files), files)
            : InputPaths.RelativeToCommonPrefix(files);
        return new Dataset(files, relative, fileRows, fileSizes, footerHashes, shards, columns.ToArray(), columnTypes, options)
        {
            LeftOutColumns = leftOut, Store = store, _objects = store is null ? [] : objects,
        };
    }

    private static string[] RelativeTo(string common, IReadOnlyList<string> files) =>
        files.Select(p => Path.GetRelativePath(common, p).Replace('\\', '/')).ToArray();

    /// <summary>
    /// Local files and s3:// objects together, sorted by full path or URI (ordinal): the same order whichever store
    /// holds them, so shard ids, and the model, do not depend on where the bytes live.
    /// </summary>
    private static async Task<(List<string> Files, StoredObject?[] Objects, ObjectStore? Store)> ResolveAsync(IReadOnlyList<string> inputs, DataOptions options,
        CancellationToken cancellationToken)
    {
        var local = inputs.Where(i => !ObjectUri.IsObjectUri(i)).ToList();
        var remote = inputs.Where(ObjectUri.IsObjectUri).ToList();
        var files = local.Count > 0 ? InputPaths.Resolve(local) : [];
        if (remote.Count == 0) return (files, new StoredObject?[files.Count], null);
        var store = options.Store ?? ObjectStores.Default;
        var byName = (await ObjectInputs.ResolveAsync(store, remote, cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.Uri.ToString(), StringComparer.Ordinal);
        files.AddRange(byName.Keys);
        files.Sort(StringComparer.Ordinal);
        return (files, files.Select(f => byName.GetValueOrDefault(f)).ToArray(), store);
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
