
namespace DistributedGmm.Core.Persistence;

/// <summary>
/// Where a fit stands between two E-steps: the run in progress (null once every restart has finished and only the
/// final E-step of the best run remains) and the best finished run so far (null before the first one finishes).
/// </summary>
/// <remarks>
/// <see cref="ShardHashes"/>: the content hash of every shard's decoded values as the fit first saw them (0: not
/// seen yet), so that a resumed fit refuses data that changed in place even where the files' footers did not.
/// </remarks>
public sealed record FitState(RunState? Current, RunState? Best)
{
    public IReadOnlyList<ulong> ShardHashes { get; init; } = [];
}
