using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>What the commands read: the inputs, the columns and the invalid-value policy, as the user gave them.</summary>
internal sealed record DataRequest(IReadOnlyList<string> Inputs, IReadOnlyList<string>? Columns, InvalidValuePolicy OnInvalid, int ShardRows)
{
    public Dataset Discover()
    {
        CliOptions.RequirePositive(ShardRows, "--shard-rows");
        var dataset = Dataset.Discover(Inputs, new DataOptions { Columns = Columns, OnInvalid = OnInvalid, ShardRows = ShardRows });
        if (dataset.LeftOutColumns.Count > 0)
            ErrorReport.Note($"not used as features: {string.Join(", ", dataset.LeftOutColumns)}; add them with --columns");
        return dataset;
    }
}
