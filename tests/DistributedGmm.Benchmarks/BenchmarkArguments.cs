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
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"expected --name value pairs or --flag, got '{string.Join(' ', args)}'");
            // A flag: no value follows.
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _values[args[i][2..]] = "true";
                i--;
                continue;
            }
            _values[args[i][2..]] = args[i + 1];
        }
    }

    public long Long(string name, long fallback) => _read.Add(name) && _values.TryGetValue(name, out var v) ? long.Parse(v) : fallback;

    public int Int(string name, int fallback) => (int)Long(name, fallback);

    public bool Flag(string name) => String(name, "false") == "true";

    public double Double(string name, double fallback) =>
        _read.Add(name) && _values.TryGetValue(name, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => _read.Add(name) && _values.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>Call after reading every option, so a misspelt one is not silently ignored.</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
