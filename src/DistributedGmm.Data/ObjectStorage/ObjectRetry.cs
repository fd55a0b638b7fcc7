using System.Net.Sockets;
using Amazon.Runtime;

namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// Our own retry loop (the SDK's is turned off, so the limit is one number we document): exponential backoff from
/// 250 ms, doubling up to 8 s, with "equal jitter" (each wait between half and all of its step), so the waits of
/// the default 8 attempts add up to at least 12 s: a server that restarts within that is ridden out.
/// </summary>
internal static class ObjectRetry
{
    private static readonly TimeSpan FirstStep = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestStep = TimeSpan.FromSeconds(8);

    public static TimeSpan Delay(int failedAttempts)
    {
        var step = Math.Min(LongestStep.TotalMilliseconds, FirstStep.TotalMilliseconds * Math.Pow(2, failedAttempts - 1));
        return TimeSpan.FromMilliseconds(step * (0.5 + 0.5 * Random.Shared.NextDouble()));
    }

    /// <summary>
    /// Worth another attempt: a 5xx (503 SlowDown among them), throttling, a timeout, a refused or reset
    /// connection, or a body cut short. 4xx answers (denied, missing, bad credentials) are final.
    /// </summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return false;
        if (e is AmazonServiceException { StatusCode: var status } service && (int)status != 0)
            return (int)status >= 500 || service.ErrorCode is "SlowDown" or "Throttling" or "ThrottlingException" or "RequestTimeout";
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or SocketException or HttpRequestException or TimeoutException or TruncatedBodyException) return true;
            if (inner is OperationCanceledException) return true; // the SDK's own request timeout, not ours (checked above)
        }
        return false;
    }

    /// <summary>Why the last attempt failed, in a few words that never carry a credential.</summary>
    public static string Reason(Exception e)
    {
        if (e is AmazonServiceException { StatusCode: var status } service && (int)status != 0)
            return $"HTTP {(int)status}{(string.IsNullOrEmpty(service.ErrorCode) ? "" : " " + service.ErrorCode)}";
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket) return $"connection failed: {socket.SocketErrorCode}";
            if (inner is TruncatedBodyException) return "the connection closed before the whole range arrived";
            if (inner is OperationCanceledException or TimeoutException) return "the request timed out";
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or IOException) return "connection failed: " + ParquetFiles.OneLine(inner.Message);
        }
        return e.GetType().Name;
    }
}
