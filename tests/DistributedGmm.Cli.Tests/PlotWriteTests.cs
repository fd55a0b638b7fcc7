namespace DistributedGmm.Cli.Tests;

/// <summary>
/// A plot's write follows the command's cancellation: once Ctrl+C is pressed, no file is written and no upload starts
/// (the s3:// case throws before the object store is even made, so no endpoint is needed here).
/// </summary>
public sealed class PlotWriteTests : IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("bic.png")]
    [InlineData("s3://lake/figures/bic.png")]
    public void A_cancelled_write_writes_nothing(string target)
    {
        var path = target.StartsWith("s3://", StringComparison.Ordinal) ? target : _work[target];
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Plots.Write(path, Png, cancelled.Token));
        Assert.Empty(_work.Files());
    }

    [Fact]
    public void An_uncancelled_write_writes_the_bytes()
    {
        Plots.Write(_work["bic.png"], Png, CancellationToken.None);
        Assert.Equal(Png, File.ReadAllBytes(_work["bic.png"]));
    }
}
