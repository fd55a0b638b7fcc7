namespace DistributedGmm.Cluster.Serialization;

/// <summary>Collects the chunks of one array in any order; complete once every index has arrived.</summary>
public sealed class ChunkAssembler(int count)
{
    private readonly double[]?[] _chunks = new double[]?[count];
    private int _received;

    public int Count => _chunks.Length;
    public bool Complete => _received == _chunks.Length;

    /// <summary>Adds a chunk; a repeated index is ignored. Returns true when this chunk completed the array.</summary>
    public bool Add(int index, int count, double[] values)
    {
        if (count != _chunks.Length || index < 0 || index >= count)
            throw new ArgumentException($"chunk {index} of {count} does not belong to a series of {_chunks.Length}");
        if (_chunks[index] is not null) return false;
        _chunks[index] = values;
        _received++;
        return Complete;
    }

    public double[] Assemble()
    {
        if (!Complete) throw new InvalidOperationException($"{_chunks.Length - _received} chunks are missing");
        if (_chunks.Length == 1) return _chunks[0]!;
        var values = new double[_chunks.Sum(c => c!.Length)];
        var offset = 0;
        foreach (var chunk in _chunks)
        {
            chunk!.CopyTo(values, offset);
            offset += chunk.Length;
        }
        return values;
    }
}
