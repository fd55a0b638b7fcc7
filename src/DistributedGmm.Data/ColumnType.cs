namespace DistributedGmm.Data;

/// <summary>The numeric column types the reader turns into doubles.</summary>
public enum ColumnType
{
    Double,
    Float,
    Int16,
    Int32,
    Int64,
    Decimal,
}

public static class ColumnTypeNames
{
    /// <summary>The name Parquet tools print, for messages.</summary>
    public static string ToName(this ColumnType type) => type.ToString().ToUpperInvariant();

    /// <summary>
    /// Types that may stand for the same column in different files: floating point with floating point,
    /// integer with integer, decimal with decimal. A column that is an integer in one file and a double in
    /// another is more likely two different quantities than one, so that is an error.
    /// </summary>
    public static bool IsCompatibleWith(this ColumnType type, ColumnType other) => Family(type) == Family(other);

    private static int Family(ColumnType type) => type switch
    {
        ColumnType.Double or ColumnType.Float => 0,
        ColumnType.Int16 or ColumnType.Int32 or ColumnType.Int64 => 1,
        _ => 2,
    };
}
