using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>
/// The input columns a prediction file carries over unchanged: each in its original Parquet type, nullability and
/// order (or the order <c>--keep-columns</c> gives). A row group's columns are read once and sliced per shard.
/// </summary>
internal sealed class InputColumns
{
    private readonly string _path;
    private readonly InputColumn[] _columns;
    private int _rowGroup = -1;

    private InputColumns(string path, InputColumn[] columns)
    {
        _path = path;
        _columns = columns;
    }

    /// <summary>The output fields of the input columns, in output order.</summary>
    public IReadOnlyList<DataField> Fields => _columns.Select(c => c.Output).ToArray();

    /// <summary>
    /// The columns of <paramref name="file"/> to keep: all of its top-level columns (<paramref name="keep"/> null),
    /// the named ones in the given order, or none (empty).
    /// </summary>
    public static InputColumns Of(ParquetReader file, string path, IReadOnlyList<string>? keep)
    {
        var top = file.Schema.Fields;
        // By default a nested column (a list, map or struct) is left out: its repetition levels cannot be sliced per shard
        // like a flat column's values; named in --keep-columns it is refused.
        var chosen = keep is null
            ? top.Where(IsFlat).ToArray()
            : keep.Select(name => top.FirstOrDefault(f => f.Name == name)
                ?? throw new DataException($"{path}: --keep-columns names \"{name}\", which the file does not have (it has {string.Join(", ", top.Select(f => f.Name))})")).ToArray();
        return new InputColumns(path, chosen.Select(f => InputColumn.Create(f, path)).ToArray());
    }

    private static bool IsFlat(Field f) => f is DataField { IsArray: false, MaxRepetitionLevel: 0 };

    public async Task WriteAsync(ParquetReader file, ParquetRowGroupWriter group, Shard shard, CancellationToken ct)
    {
        if (_rowGroup != shard.RowGroup)
        {
            using var reader = file.OpenRowGroupReader(shard.RowGroup);
            var rows = checked((int)reader.RowCount);
            foreach (var column in _columns)
                await ParquetFiles.DecodingAsync(_path, shard.RowGroup, async () =>
                {
                    await column.ReadAsync(reader, rows, ct).ConfigureAwait(false);
                    return true;
                }, column.Input.Name).ConfigureAwait(false);
            _rowGroup = shard.RowGroup;
        }
        foreach (var column in _columns) await column.WriteAsync(group, (int)shard.OffsetInRowGroup, shard.Rows, ct).ConfigureAwait(false);
    }

    /// <summary>One flat input column: read as its own CLR type, written back under an equal field.</summary>
    private abstract class InputColumn(DataField input, DataField output)
    {
        public DataField Input { get; } = input;
        public DataField Output { get; } = output;

        public abstract Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct);
        public abstract Task WriteAsync(ParquetRowGroupWriter group, int first, int rows, CancellationToken ct);

        public static InputColumn Create(Field field, string path)
        {
            if (!IsFlat(field) || field is not DataField data)
                throw new DataException($"{path}: column \"{field.Name}\" is nested ({field.SchemaType}), which predictions cannot carry over; " +
                    "leave it out of --keep-columns");
            var output = Copy(data);
            var type = data.ClrType;
            if (type == typeof(string)) return new StringColumn(data, output);
            if (type == typeof(byte[])) return new BytesColumn(data, output);
            if (!type.IsValueType) throw new DataException($"{path}: column \"{field.Name}\" has a type ({type.Name}) predictions cannot carry over; leave it out with --keep-columns");
            return (InputColumn)Activator.CreateInstance(typeof(ValueColumn<>).MakeGenericType(type), data, output)!;
        }

        /// <summary>A field equal to <paramref name="f"/> (name, type, logical type, nullability) that a new schema can own.</summary>
        private static DataField Copy(DataField f) => f switch
        {
            DecimalDataField d => new DecimalDataField(d.Name, d.Precision, d.Scale, d.ForceByteArrayEncoding, d.IsNullable),
            DateTimeDataField t => new DateTimeDataField(t.Name, t.DateTimeFormat, t.IsAdjustedToUTC, t.Unit, t.IsNullable),
            _ => new DataField(f.Name, f.ClrType, f.IsNullable),
        };
    }

    private sealed class ValueColumn<T>(DataField input, DataField output) : InputColumn(input, output) where T : struct
    {
        private T[] _values = [];
        private T?[] _nullable = [];

        public override async Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct)
        {
            if (Input.IsNullable)
            {
                if (_nullable.Length < rows) _nullable = new T?[rows];
                await reader.ReadAsync<T>(Input, _nullable.AsMemory(0, rows), null, ct).ConfigureAwait(false);
            }
            else
            {
                if (_values.Length < rows) _values = new T[rows];
                await reader.ReadAsync<T>(Input, _values.AsMemory(0, rows), null, ct).ConfigureAwait(false);
            }
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, int first, int rows, CancellationToken ct) => Output.IsNullable
            ? group.WriteAsync<T>(Output, _nullable.AsMemory(first, rows), cancellationToken: ct)
            : group.WriteAsync<T>(Output, _values.AsMemory(first, rows), cancellationToken: ct);
    }

    private sealed class StringColumn(DataField input, DataField output) : InputColumn(input, output)
    {
        private string?[] _values = [];

        public override async Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct)
        {
            if (_values.Length < rows) _values = new string?[rows];
            await reader.ReadAsync(Input, _values.AsMemory(0, rows), null, ct).ConfigureAwait(false);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, int first, int rows, CancellationToken ct) =>
            group.WriteAsync(Output, new ArraySegment<string?>(_values, first, rows)!);
    }

    private sealed class BytesColumn(DataField input, DataField output) : InputColumn(input, output)
    {
        private byte[]?[] _values = [];

        public override async Task ReadAsync(ParquetRowGroupReader reader, int rows, CancellationToken ct)
        {
            if (_values.Length < rows) _values = new byte[]?[rows];
            await reader.ReadAsync(Input, _values.AsMemory(0, rows), null, ct).ConfigureAwait(false);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, int first, int rows, CancellationToken ct) =>
            group.WriteAsync(Output, new ArraySegment<byte[]?>(_values, first, rows)!);
    }
}
