using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>
/// The selected columns of one row group, decoded to doubles, column-major. Nulls read as NaN; the definition
/// levels of nullable columns are kept so an error can tell a null from a NaN. Buffers grow but are never
/// shrunk or reallocated per read: one instance serves a whole <see cref="ShardReader"/>.
/// </summary>
internal sealed class RowGroupColumns
{
    public RowGroupColumns(int dimensions)
    {
        Values = new double[dimensions][];
        Levels = new int[dimensions][];
        MaxLevels = new int[dimensions];
        for (var j = 0; j < dimensions; j++)
        {
            Values[j] = [];
            Levels[j] = [];
        }
    }

    public int FileIndex { get; private set; } = -1;
    public int RowGroup { get; private set; } = -1;
    public int Rows { get; private set; }

    /// <summary>[column][row]; only the first <see cref="Rows"/> values count.</summary>
    public double[][] Values { get; }

    /// <summary>[column][row] definition levels, meaningful only where <see cref="MaxLevels"/> is above 0.</summary>
    public int[][] Levels { get; }

    public int[] MaxLevels { get; }

    public bool Holds(int fileIndex, int rowGroup) => FileIndex == fileIndex && RowGroup == rowGroup;

    /// <summary>Makes room for <paramref name="rows"/> rows of <paramref name="fields"/>: definition levels only for nullable ones.</summary>
    public void Reset(int fileIndex, int rowGroup, int rows, IReadOnlyList<DataField> fields)
    {
        FileIndex = -1; // not valid until every column is decoded
        RowGroup = rowGroup;
        Rows = rows;
        for (var j = 0; j < Values.Length; j++)
        {
            if (Values[j].Length < rows) Values[j] = GC.AllocateUninitializedArray<double>(rows);
            MaxLevels[j] = fields[j].MaxDefinitionLevel;
            if (MaxLevels[j] > 0 && Levels[j].Length < rows) Levels[j] = GC.AllocateUninitializedArray<int>(rows);
        }
        _pendingFileIndex = fileIndex;
    }

    public void MarkComplete() => FileIndex = _pendingFileIndex;

    private int _pendingFileIndex = -1;

    public bool IsNull(int column, int row) => MaxLevels[column] > 0 && Levels[column][row] < MaxLevels[column];
}
