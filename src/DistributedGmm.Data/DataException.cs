namespace DistributedGmm.Data;

/// <summary>
/// A problem with the user's data, told in one line that names the file and, as relevant, the row group,
/// the column and the row (rows are counted from 0 within the file). Never carries a stack trace worth showing:
/// the CLI prints <see cref="Exception.Message"/> alone.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string message) : base(message) { }

    public DataException(string message, Exception inner) : base(message, inner) { }
}
