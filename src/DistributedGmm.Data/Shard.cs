namespace DistributedGmm.Data;

/// <summary>
/// A slice of one row group. <see cref="Index"/> is its id: the ordinal in file order, then row group, then
/// slice, so it depends on the data alone and is the same on every machine and every run.
/// </summary>
/// <param name="Rows">Rows in the slice, counting those an <see cref="InvalidValuePolicy.Skip"/> policy will drop.</param>
/// <param name="FirstRowInFile">Position of the slice's first row in its file, counted from 0.</param>
public sealed record Shard(int Index, int FileIndex, string Path, int RowGroup, long OffsetInRowGroup, int Rows, long FirstRowInFile);
