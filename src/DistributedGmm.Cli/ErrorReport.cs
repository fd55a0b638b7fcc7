using DistributedGmm.Cluster;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>
/// Turns an exception into one line on stderr and an exit code: 2 for a user's mistake, 130 for a cancelled
/// command, 3 when the cluster could not do the job, 1 for our own failures. Stack traces only when GMM_DEBUG=1.
/// </summary>
internal static class ErrorReport
{
    public static bool Debug => Environment.GetEnvironmentVariable("GMM_DEBUG") is "1" or "true";

    public static void Error(string message) => Console.Error.WriteLine($"gmm: error: {OneLine(message)}");

    public static void Warning(string message) => Console.Error.WriteLine($"gmm: warning: {OneLine(message)}");

    public static void Note(string message) => Console.Error.WriteLine($"gmm: note: {OneLine(message)}");

    public static void WarnSkipped(long rows)
    {
        if (rows > 0) Warning($"{Plural.Of(rows, "row")} with null, NaN or infinite values {(rows == 1 ? "was" : "were")} skipped");
    }

    public static int Handle(Exception exception, bool cancellationRequested)
    {
        var e = Unwrap(exception);
        if (e is OperationCanceledException && cancellationRequested)
        {
            Console.Error.WriteLine("gmm: cancelled; no output was written");
            return ExitCodes.Cancelled;
        }
        if (IsUsersMistake(e))
        {
            Error(e.Message);
            if (Debug) Console.Error.WriteLine(e);
            return ExitCodes.Usage;
        }
        if (IsClusterFailure(e))
        {
            Error(e.Message);
            if (Debug) Console.Error.WriteLine(e);
            return ExitCodes.ClusterFailure;
        }
        Error(e.Message + (Debug ? "" : " (set GMM_DEBUG=1 for details)"));
        if (Debug) Console.Error.WriteLine(e);
        return ExitCodes.Failure;
    }

    public static bool IsUsersMistake(Exception e) =>
        e is UsageException or DataException or ModelFileException or DegenerateComponentException or InitializationException or CheckpointException
            or OutputException or NodeAddressException { PortInUse: false } or MissingFontException;

    /// <summary>The job was fine but the cluster could not run it (see <see cref="ExitCodes.ClusterFailure"/>).</summary>
    public static bool IsClusterFailure(Exception e) => e is FitFailedException or NodeAddressException { PortInUse: true };

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException a when a.InnerExceptions.Count > 0:
                    var all = a.Flatten().InnerExceptions;
                    e = all.FirstOrDefault(IsUsersMistake) ?? all[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                default: return e;
            }
        }
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
