namespace DistributedGmm.Core.Tests.Support;

public static class Close
{
    /// <summary>Every |actual − expected| ≤ relative · max(|expected|) over the array (a norm-relative check).</summary>
    public static void All(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, string what = "")
    {
        Assert.Equal(expected.Count, actual.Count);
        var scale = expected.Max(Math.Abs);
        if (scale == 0) scale = 1;
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.False(double.IsNaN(actual[i]), $"{what}[{i}] is NaN");
            var error = Math.Abs(actual[i] - expected[i]) / scale;
            Assert.True(error <= relative, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {error:G3} > {relative:G3})");
        }
    }

    public static void Bitwise(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what = "")
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{what}[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    public static void AllFinite(IEnumerable<double> values, string what = "")
    {
        foreach (var v in values) Assert.True(double.IsFinite(v), $"{what} holds {v}");
    }
}
