using System.Diagnostics;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// How a coordinator keeps <c>gmm.request-timeout</c> on its outstanding requests: a deadline in Stopwatch ticks,
/// renewed whenever the worker reports progress, checked by a periodic timer a tenth of the timeout apart
/// (between 10 ms and 1 s), so a request is given up at most 10% late.
/// </summary>
internal readonly record struct RequestTimeout(TimeSpan Timeout)
{
    /// <summary>How often to check the deadlines.</summary>
    public TimeSpan CheckInterval => TimeSpan.FromTicks(Math.Clamp(Timeout.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>The deadline of a request made, or a progress report received, now.</summary>
    public long DeadlineFromNow() => Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
}
