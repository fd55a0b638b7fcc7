using System.Globalization;

namespace DistributedGmm.Cli;

/// <summary>"1 iteration", "2 iterations": counts in messages.</summary>
internal static class Plural
{
    public static string Of(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");
}
