namespace DistributedGmm.Cli;

/// <summary>The process exit codes <c>gmm</c> promises.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>
    /// The cluster could not do the job: too few worker nodes joined (an unreachable seed, nodes missing), every
    /// worker was lost, a group failed on every node, the coordinator was removed from the cluster, or a node's
    /// port is in use. Retrying later or elsewhere may succeed; the input was fine.
    /// </summary>
    public const int ClusterFailure = 3;

    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Cancelled = 130;
}
