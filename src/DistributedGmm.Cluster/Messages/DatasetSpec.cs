using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// The data a job runs over, as every node discovers it for itself: the inputs (the coordinator's full file paths),
/// the data options (<see cref="Columns"/> null: every numeric column; <see cref="OnInvalid"/> the data layer's
/// <c>InvalidValuePolicy</c> as a number) and the <see cref="Fingerprint"/> a node must see too
/// (<see cref="Data.Dataset.Fingerprint"/>), the <see cref="WeightColumn"/> (null: unweighted) and
/// <see cref="Float32Values"/> (<c>--cache-precision float32</c>, since wire protocol 5: every node rounds the values to float32 as it reads
/// them and caches them as float32, as the embedded fit does). Part of messages, not a message itself.
/// </summary>
public sealed record DatasetSpec(string[] Inputs, string[]? Columns, int OnInvalid, int ShardRows, DataFingerprint Fingerprint,
    string? WeightColumn = null, bool Float32Values = false);
