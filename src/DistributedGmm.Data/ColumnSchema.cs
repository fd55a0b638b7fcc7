using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>Finds columns by name in one file's schema and says, in a user's terms, why one cannot be used.</summary>
internal static class ColumnSchema
{
    /// <summary>Top-level flat DOUBLE and FLOAT columns, in schema order: the default selection.</summary>
    public static List<string> FloatingPointColumns(ParquetSchema schema) =>
        schema.Fields.OfType<DataField>()
            .Where(f => !f.IsArray && (f.ClrType == typeof(double) || f.ClrType == typeof(float)))
            .Select(f => f.Name)
            .ToList();

    /// <summary>
    /// The column a user's name stands for: the exact name if the schema has it (so a name with spaces can be
    /// chosen), else the name without surrounding spaces ("a, b" asks for a and b).
    /// </summary>
    public static string Named(ParquetSchema schema, string asked)
    {
        if (schema.Fields.Any(f => f.Name == asked)) return asked;
        var trimmed = asked.Trim();
        return schema.Fields.Any(f => f.Name == trimmed) ? trimmed : asked;
    }

    /// <summary>The field and its type, or a DataException naming the file and what is wrong with the column.</summary>
    public static (DataField Field, ColumnType Type) Resolve(ParquetSchema schema, string column, string path)
    {
        var field = schema.Fields.FirstOrDefault(f => f.Name == column);
        if (field is null)
            throw new DataException($"{path}: no column \"{column}\" (it has {string.Join(", ", schema.Fields.Select(f => f.Name))})");
        if (field is not DataField data || data.IsArray)
            throw new DataException($"{path}: column \"{column}\" is a nested column ({field.SchemaType.ToString().ToLowerInvariant()}): only flat numeric columns can be used");
        if (TypeOf(data) is { } type) return (data, type);
        throw new DataException($"{path}: column \"{column}\" is {Describe(data)}: only DOUBLE, FLOAT, INT16, INT32, INT64 and DECIMAL columns can be used");
    }

    public static ColumnType? TypeOf(DataField field)
    {
        var t = field.ClrType;
        if (t == typeof(double)) return ColumnType.Double;
        if (t == typeof(float)) return ColumnType.Float;
        if (t == typeof(short)) return ColumnType.Int16;
        if (t == typeof(int)) return ColumnType.Int32;
        if (t == typeof(long)) return ColumnType.Int64;
        if (t == typeof(decimal) || field is DecimalDataField) return ColumnType.Decimal;
        return null;
    }

    private static string Describe(DataField field)
    {
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return "a string column";
        if (t == typeof(bool)) return "a boolean column";
        if (t == typeof(byte[])) return "a binary column";
        return $"of type {t.Name}";
    }
}
