namespace DistributedGmm.Cluster.Serialization;

/// <summary>How large arrays are cut so that every frame stays well under Akka's maximum-frame-size (128,000 bytes).</summary>
public static class Chunking
{
    /// <summary>Doubles per chunk: 64 KiB of payload.</summary>
    public const int ChunkDoubles = 8192;

    public static int ChunkCount(int length) => Math.Max(1, (length + ChunkDoubles - 1) / ChunkDoubles);

    /// <summary>The slices of <paramref name="values"/>, in order; an empty array gives one empty slice.</summary>
    public static IEnumerable<double[]> Split(double[] values)
    {
        var count = ChunkCount(values.Length);
        for (var i = 0; i < count; i++)
        {
            var start = i * ChunkDoubles;
            yield return values.AsSpan(start, Math.Min(ChunkDoubles, values.Length - start)).ToArray();
        }
    }
}
