namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// An error message bounded for the wire: an exception's text can be arbitrarily long, and a frame over the
/// transport's limit would be dropped with only a log line, losing the reason a fit failed.
/// </summary>
public static class ErrorText
{
    public const int MaxLength = 4000;

    public static string Bound(string message) => message.Length <= MaxLength ? message : message[..MaxLength] + "…";
}
