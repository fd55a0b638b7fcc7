namespace DistributedGmm.Cli;

/// <summary>The process exit codes <c>gmm</c> promises.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Cancelled = 130;
}
