namespace DistributedGmm.Cli.Tests;

/// <summary>--join-timeout's durations: every unit, and a usage error (never TimeSpan's own exception) for the rest.</summary>
public sealed class DurationTests
{
    [Theory]
    [InlineData("60s", 60_000)]
    [InlineData("60", 60_000)]
    [InlineData(" 500ms ", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5s", 1_500)]
    public void Parses_seconds_milliseconds_and_minutes(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ClusterOptions.ParseDuration(text, "--join-timeout"));

    [Theory]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("-1m")]
    [InlineData("0ms")]
    [InlineData("NaNm")]
    [InlineData("Infinityms")]
    [InlineData("1e300m")]
    [InlineData("soon")]
    public void Rejects_what_is_not_a_positive_duration(string text)
    {
        var e = Assert.Throws<UsageException>(() => ClusterOptions.ParseDuration(text, "--join-timeout"));
        Assert.StartsWith("--join-timeout must be a duration", e.Message);
    }
}
