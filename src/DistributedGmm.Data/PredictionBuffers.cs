namespace DistributedGmm.Data;

/// <summary>Reused arrays for one prediction file: grown to the largest shard, never reallocated per shard.</summary>
internal sealed class PredictionBuffers(int components)
{
    private double[] _rows = [];
    private double[] _logLikelihood = [];
    private double[] _probabilities = [];
    private int[] _labels = [];
    private double[] _column = [];
    private double?[] _nullableColumn = [];
    private int?[] _nullableLabels = [];

    public int Components { get; } = components;

    public double[] Rows(int length) => Grow(ref _rows, length);
    public Span<double> LogLikelihood(int length) => Grow(ref _logLikelihood, length).AsSpan(0, length);
    public Span<double> Probabilities(int length) => Grow(ref _probabilities, length).AsSpan(0, length);
    public Span<int> Labels(int length) => Grow(ref _labels, length).AsSpan(0, length);

    public double[] ScoredLogLikelihood => _logLikelihood;
    public double[] ScoredProbabilities => _probabilities;
    public int[] ScoredLabels => _labels;

    public double[] Column(int length) => Grow(ref _column, length);
    public double?[] NullableColumn(int length) => Grow(ref _nullableColumn, length);
    public int?[] NullableLabels(int length) => Grow(ref _nullableLabels, length);

    private static T[] Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
        return buffer;
    }
}
