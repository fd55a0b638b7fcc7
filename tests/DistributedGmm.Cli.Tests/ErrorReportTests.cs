using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;

namespace DistributedGmm.Cli.Tests;

/// <summary>The exit code each kind of failure gets (in process: the end-to-end tests cover the user's mistakes).</summary>
public sealed class ErrorReportTests
{
    [Fact]
    public void Users_mistakes_are_2_our_failures_1_cancellation_130()
    {
        var saved = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            Assert.Equal(2, ErrorReport.Handle(new DataException("a.parquet: no column \"z\""), false));
            Assert.Equal(2, ErrorReport.Handle(new ModelFileException("m.json: not JSON"), false));
            Assert.Equal(2, ErrorReport.Handle(new DegenerateComponentException(1, 0, 1e-6), false));
            Assert.Equal(2, ErrorReport.Handle(new AggregateException(new UsageException("--x is bad"), new InvalidOperationException("later")), false));
            Assert.Equal(1, ErrorReport.Handle(new InvalidOperationException("boom\nsecond line"), false));
            // A machine without fonts is a setup problem that names its fix, not our bug.
            Assert.Equal(2, ErrorReport.Handle(new MissingFontException(), false));
            Assert.Equal(130, ErrorReport.Handle(new AggregateException(new OperationCanceledException()), true));
        }
        finally
        {
            Console.SetError(saved);
        }
        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Equal("gmm: error: a.parquet: no column \"z\"", lines[0]);
        Assert.Equal("gmm: error: --x is bad", lines[3]);
        Assert.StartsWith("gmm: error: boom second line", lines[4]);
        Assert.StartsWith("gmm: error: no fonts found", lines[5]);
        Assert.DoesNotContain("   at ", captured.ToString());
    }
}
