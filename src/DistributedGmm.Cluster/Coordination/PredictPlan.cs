using DistributedGmm.Cluster.Messages;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>One predict job on a cluster: the model, the data, an output path per input file. A local object.</summary>
internal sealed record PredictPlan(GaussianMixture Mixture, DatasetSpec Data, IReadOnlyList<string> Outputs, int MinimumNodes,
    TimeSpan JoinTimeout, int MaxFileAttempts, TaskCompletionSource Completion)
{
    /// <summary>The input columns every output carries (null: all of them).</summary>
    public IReadOnlyList<string>? KeepColumns { get; init; }

    /// <summary>The removals of outputs the job started; awaited before the caller returns.</summary>
    public PendingRemovals Removals { get; init; } = new();

    /// <summary>How long a node may work on a file without reporting a shard written before the file goes elsewhere.</summary>
    public required TimeSpan RequestTimeout { get; init; }
}
