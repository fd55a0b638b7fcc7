namespace DistributedGmm.Benchmarks;

/// <summary>`--name value` options of a benchmark, read with defaults; unknown options are an error.</summary>
public sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public BenchmarkArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"expected --name value pairs, got '{string.Join(' ', args)}'");
            _values[args[i][2..]] = args[i + 1];
        }
    }

    public long Long(string name, long fallback) => _read.Add(name) && _values.TryGetValue(name, out var v) ? long.Parse(v) : fallback;

    public int Int(string name, int fallback) => (int)Long(name, fallback);

    public string String(string name, string fallback) => _read.Add(name) && _values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>Call after reading every option, so a misspelt one is not silently ignored.</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
