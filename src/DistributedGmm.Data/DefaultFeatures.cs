using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>
/// The feature columns when none are named: every flat DOUBLE or FLOAT column that every input file has as DOUBLE or
/// FLOAT, in the first file's order. Deciding from all files at once makes the choice independent of their order; a
/// column some files lack (or hold as another type) is left out rather than failing, and named in a note like the
/// integer and decimal columns, which are more often ids and counts than measurements.
/// </summary>
internal static class DefaultFeatures
{
    /// <param name="weightColumn">The weight column, if any: never a feature, and not worth a note.</param>
    public static (IReadOnlyList<string> Columns, IReadOnlyList<string> LeftOut) Resolve(IReadOnlyList<string> files, IReadOnlyList<ParquetSchema> schemas,
        string? weightColumn = null)
    {
        var floating = schemas.Select(s => ColumnSchema.FloatingPointColumns(s).ToHashSet(StringComparer.Ordinal)).ToArray();
        var columns = new List<string>();
        var leftOut = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (weightColumn is not null) seen.Add(weightColumn);
        for (var f = 0; f < schemas.Count; f++)
        {
            foreach (var field in schemas[f].Fields.OfType<DataField>().Where(d => !d.IsArray))
            {
                if (!seen.Add(field.Name) || ColumnSchema.TypeOf(field) is not { } type) continue;
                if (!floating[f].Contains(field.Name))
                {
                    leftOut.Add($"{field.Name} ({type.ToName()})");
                    continue;
                }
                var without = Enumerable.Range(0, schemas.Count).FirstOrDefault(g => !floating[g].Contains(field.Name), -1);
                if (without < 0) columns.Add(field.Name);
                else leftOut.Add($"{field.Name} ({type.ToName()}, but {Describe(schemas[without], field.Name)} in {files[without]})");
            }
        }
        if (columns.Count == 0)
        {
            var names = string.Join(", ", schemas[0].Fields.Select(c => c.Name));
            throw new DataException(files.Count == 1
                ? $"{files[0]}: no DOUBLE or FLOAT column (it has {names}); name the columns to use with --columns"
                : $"no DOUBLE or FLOAT column is in all {files.Count} input files" +
                  (leftOut.Count > 0 ? $" ({string.Join("; ", leftOut)})" : "") + "; name the columns to use with --columns");
        }
        return (columns, leftOut);
    }

    private static string Describe(ParquetSchema schema, string column) =>
        schema.Fields.FirstOrDefault(f => f.Name == column) switch
        {
            null => "missing",
            DataField { IsArray: false } d when ColumnSchema.TypeOf(d) is { } t => t.ToName(),
            _ => "not a flat numeric column",
        };
}
