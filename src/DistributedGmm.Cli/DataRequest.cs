using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>What the commands read: the inputs, the columns, the invalid-value policy and the weight column, as the user gave them.</summary>
internal sealed record DataRequest(IReadOnlyList<string> Inputs, IReadOnlyList<string>? Columns, InvalidValuePolicy OnInvalid, int ShardRows,
    string? WeightColumn = null, bool Float32Values = false)
{
    public Dataset Discover()
    {
        CliOptions.RequirePositive(ShardRows, "--shard-rows");
        if (WeightColumn is { } weight && weight.Trim().Length == 0) throw new UsageException("--weight-column names no column");
        var dataset = Dataset.Discover(Inputs, new DataOptions { Columns = Columns, OnInvalid = OnInvalid, ShardRows = ShardRows, WeightColumn = WeightColumn, Float32Values = Float32Values });
        if (dataset.LeftOutColumns.Count > 0)
            ErrorReport.Note($"not used as features: {string.Join(", ", dataset.LeftOutColumns)}; add them with --columns");
        return dataset;
    }
}
