namespace DistributedGmm.Benchmarks;

/// <summary>Dispatches to one benchmark by name; each lives in its own file and parses its own options.</summary>
public static class Program
{
    private static readonly Dictionary<string, (string Usage, Func<BenchmarkArguments, int> Run)> Benchmarks = new(StringComparer.Ordinal)
    {
        ["decode"] = (DecodeBenchmark.Usage, DecodeBenchmark.Run),
        ["s3"] = (ObjectStoreBenchmark.Usage, ObjectStoreBenchmark.Run),
        ["em"] = (EmBenchmark.Usage, EmBenchmark.Run),
        ["runtime"] = (RuntimeOverheadBenchmark.Usage, RuntimeOverheadBenchmark.Run),
        ["floor"] = (FloorBenchmark.Usage, FloorBenchmark.Run),
        ["passes"] = (PassesBenchmark.Usage, PassesBenchmark.Run),
        ["converge"] = (ConvergeBenchmark.Usage, ConvergeBenchmark.Run),
        ["float-files"] = (FloatFilesBenchmark.Usage, FloatFilesBenchmark.Run),
        ["memory-floor"] = (RuntimeMemoryFloor.Usage, RuntimeMemoryFloor.Run),
        ["weights"] = (WeightsBenchmark.Usage, WeightsBenchmark.Run),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine("usage: DistributedGmm.Benchmarks <benchmark> [options]");
            foreach (var (name, (usage, _)) in Benchmarks) Console.Error.WriteLine($"  {name} {usage}");
            return 2;
        }
        try
        {
            return benchmark.Run(new BenchmarkArguments(args[1..]));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}
