
namespace DistributedGmm.Cli.Tests;

public class StatusTailTests
{
    [Fact]
    public void Keeps_the_newest_lines_oldest_first()
    {
        var tail = new StatusTail(3);
        Assert.Empty(tail.Lines);
        foreach (var line in new[] { "a", "b", "c", "d", "e" }) tail.Add(line);
        Assert.Equal(["c", "d", "e"], tail.Lines);
    }

    [Fact]
    public void Lines_written_from_many_threads_leave_exactly_the_capacity()
    {
        var tail = new StatusTail(4);
        Parallel.For(0, 1000, i => tail.Add($"line {i}"));
        Assert.Equal(4, tail.Lines.Count);
        Assert.Equal(4, tail.Lines.Distinct().Count());
    }
}
