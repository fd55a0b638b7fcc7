using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// What no implementation can beat on this machine: the multiply-add throughput of every core at once, measured
/// with independent chains, against the multiplications an exact EM iteration cannot avoid. Nothing here runs our
/// kernels; the point is a bound for them. Diag: per row, component and dimension the E-step's quadratic form has
/// 2d free coefficients per component (two multiplications) and the M-step's Σ r·x and Σ r·x² are two more;
/// spherical reuses the distances for its trace and needs one each. Full and tied need d(d+1) (see
/// <see cref="MultiplicationsPerRowComponent"/>). Beside it, the N·K exponentials every exact E-step takes, timed with
/// the kernels' own vector exponential on the same cores: they run on the same pipes as the multiplications, so
/// floor + exponentials bounds an iteration from below too. The normalisation's other steps, reading the data and
/// the M-step come on top of both. Last, the rate at which one core loads vectors from its L1 cache, against its
/// multiply-adds: where that is below one, a kernel that loads a vector for every multiply-add cannot reach the floor.
/// </summary>
public static class FloorBenchmark
{
    public const string Usage = "[--n N (1000000)] [--d D (16)] [--k K (16)] [--sklearn-diag S] [--sklearn-spherical S] [--runs R (5)]";

    private const int ChainCount = 12;

    public static int Run(BenchmarkArguments args)
    {
        var n = args.Long("n", 1_000_000);
        var d = args.Int("d", 16);
        var k = args.Int("k", 16);
        var sklearn = new Dictionary<string, double>
        {
            ["diag"] = args.Double("sklearn-diag", double.NaN),
            ["spherical"] = args.Double("sklearn-spherical", double.NaN),
        };
        var runs = args.Int("runs", 5);
        args.EnsureAllRead();

        // The bound is for this project's machines, which have AVX-512; elsewhere it would measure an emulation.
        if (!Vector512.IsHardwareAccelerated) throw new ArgumentException("floor measures 512-bit multiply-adds, and this machine does not accelerate them");
        var lanes = Vector512<double>.Count;
        var cores = Environment.ProcessorCount;
        var single = Median(runs, () => PerSecond(1, Chains, ChainCount));
        var all = Median(runs, () => PerSecond(cores, Chains, ChainCount));
        var exponentials = Median(runs, () => PerSecond(cores, Exponentials, ExpBlock));
        var loads = Median(runs, () => PerSecond(1, Loads, LoadBlock / lanes));
        Console.WriteLine($"{lanes * 64}-bit multiply-adds: {single / 1e9:F2} G/s on one core, {all / 1e9:F2} G/s on all {cores} together (median of {runs}, {ChainCount} independent chains a thread)");
        Console.WriteLine($"{lanes * 64}-bit exponentials (the kernels' own): {exponentials / 1e9:F3} G/s on all {cores} together, {all / exponentials:F1} multiply-adds' time each");
        Console.WriteLine($"{lanes * 64}-bit loads from the L1 cache: {loads / 1e9:F2} G/s on one core, {loads / single:F2} for each multiply-add it does: a kernel loading one vector for each multiply-add runs at {Math.Min(1, loads / single) * 100:F0}% of the floor's rate at best");
        Console.WriteLine($"N = {n:N0}, d = {d}, K = {k}: seconds an iteration, every pipe busy every cycle, for the unavoidable multiplications alone (floor) and for the N·K exponentials");
        Console.WriteLine($"{"type",-10} {"mults/step",10} {"floor s",10} {"exp s",10} {"exp/floor",10} {"sklearn s",10} {"max ratio",10}");
        var expSeconds = (double)n * k / lanes / exponentials;
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            var floor = FloorSeconds(type, n, d, k, all);
            var name = type.ToName();
            var reference = sklearn.GetValueOrDefault(name, double.NaN);
            var ratio = double.IsNaN(reference) ? "-" : $"{reference / floor:F0}x";
            Console.WriteLine($"{name,-10} {MultiplicationsPerRowComponent(type, d) / d,10:0.##} {floor,10:F4} {expSeconds,10:F4} {expSeconds / floor,10:F2} {(double.IsNaN(reference) ? "-" : reference.ToString("F3")),10} {ratio,10}");
        }
        Console.WriteLine("exp/floor at 1 or more would mean the exponentials alone, at this rate, take the floor's time again: no iteration computing them so could come within 2x of its floor");
        return 0;
    }

    /// <summary>
    /// 512-bit multiply-adds a processor second on one core (median of <paramref name="runs"/>), timed by the process's
    /// processor time rather than the clock, so that other processes on a shared machine do not lower it; NaN
    /// without AVX-512.
    /// </summary>
    public static double CoreRate(int runs = 5) => CoreRate(runs, Chains, ChainCount);

    /// <summary>As <see cref="CoreRate(int)"/>, for the kernels' 512-bit vector exponential.</summary>
    public static double CoreExpRate(int runs = 5) => CoreRate(runs, Exponentials, ExpBlock);

    private static double CoreRate(int runs, Func<long, double> body, int perRepeat)
    {
        if (!Vector512.IsHardwareAccelerated) return double.NaN;
        return Median(runs, () =>
        {
            var repeats = Repeats(perRepeat);
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            var sink = body(repeats);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
            if (sink == 42) Console.Write(string.Empty);
            return repeats * perRepeat / cpu;
        });
    }

    /// <summary>
    /// Multiplications an exact iteration cannot avoid, per row and component: diag 4·d and spherical 2·d (as above);
    /// full and tied d(d+1): the triangular Mahalanobis product and the upper triangle of the second moment,
    /// d(d+1)/2 each (the kernels' own count, the GFLOP/s column's half).
    /// </summary>
    public static double MultiplicationsPerRowComponent(Core.Model.CovarianceType type, int d) => type switch
    {
        Core.Model.CovarianceType.Diag => 4.0 * d,
        Core.Model.CovarianceType.Spherical => 2.0 * d,
        _ => (double)d * (d + 1),
    };

    /// <summary>Seconds those multiplications take at <paramref name="rate"/> 512-bit multiply-adds a second (all cores: wall seconds; one core: processor seconds).</summary>
    public static double FloorSeconds(Core.Model.CovarianceType type, long n, int d, int k, double rate) =>
        n * (double)k * MultiplicationsPerRowComponent(type, d) / Vector512<double>.Count / rate;

    private static double Median(int runs, Func<double> measure)
    {
        measure();
        var values = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return values[values.Length / 2];
    }

    /// <summary>
    /// Operations a second summed over <paramref name="threads"/> threads started together, each running
    /// <paramref name="body"/>, which does <paramref name="perRepeat"/> of them a repeat.
    /// </summary>
    private static double PerSecond(int threads, Func<long, double> body, int perRepeat)
    {
        var repeats = Repeats(perRepeat);
        using var start = new Barrier(threads + 1);
        var seconds = new double[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            var sink = body(repeats);
            seconds[t] = clock.Elapsed.TotalSeconds;
            if (sink == 42) Console.Write(string.Empty);
        })).ToArray();
        foreach (var w in workers) w.Start();
        start.SignalAndWait();
        foreach (var w in workers) w.Join();
        return seconds.Sum(s => repeats * perRepeat / s);
    }

    /// <summary>Repeats of a body doing <paramref name="perRepeat"/> operations: as many operations as 20M rounds of the chains.</summary>
    private static long Repeats(int perRepeat) => 20_000_000L * ChainCount / perRepeat;

    /// <summary>Vector exponentials a repeat of <see cref="Exponentials"/>: one block's column of rows, as the normalisation takes them.</summary>
    private const int ExpBlock = 16;

    /// <summary>
    /// <see cref="ExpBlock"/> independent exponentials a repeat, each loaded and stored as the normalisation does,
    /// over arguments in [−30, 0] (the fast path every log density minus its row's maximum takes above −708).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Exponentials(long repeats)
    {
        var lanes = Vector512<double>.Count;
        var values = new double[ExpBlock * lanes];
        for (var i = 0; i < values.Length; i++) values[i] = -30.0 * i / values.Length;
        var results = new double[values.Length];
        ref var source = ref MemoryMarshal.GetArrayDataReference(values);
        ref var target = ref MemoryMarshal.GetArrayDataReference(results);
        for (long r = 0; r < repeats; r++)
        for (var i = 0; i < values.Length; i += lanes)
            Vector512.StoreUnsafe(Core.Kernels.Lanes512.Exp(Vector512.LoadUnsafe(ref Unsafe.Add(ref source, i))), ref Unsafe.Add(ref target, i));
        return results[1];
    }

    /// <summary>Doubles a repeat of <see cref="Loads"/>: 16 KB, well inside every L1 data cache.</summary>
    private const int LoadBlock = 2048;

    /// <summary>
    /// <see cref="LoadBlock"/> doubles loaded a vector at a time into eight independent sums, so that neither the adds'
    /// latency nor their pipes limit the rate: the load ports do.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Loads(long repeats)
    {
        var values = new double[LoadBlock];
        for (var i = 0; i < values.Length; i++) values[i] = 1e-3 * i;
        ref var first = ref MemoryMarshal.GetArrayDataReference(values);
        var lanes = Vector512<double>.Count;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (long r = 0; r < repeats; r++)
        for (var i = 0; i < LoadBlock; i += 8 * lanes)
        {
            ref var p = ref Unsafe.Add(ref first, i);
            a0 += Vector512.LoadUnsafe(ref p); a1 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, lanes));
            a2 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, 2 * lanes)); a3 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, 3 * lanes));
            a4 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, 4 * lanes)); a5 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, 5 * lanes));
            a6 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, 6 * lanes)); a7 += Vector512.LoadUnsafe(ref Unsafe.Add(ref p, 7 * lanes));
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    /// <summary>Twelve independent multiply-add chains, so the pipes never wait on a result.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Chains(long repeats)
    {
        var x = Vector512.Create(1.0000001);
        var y = Vector512.Create(0.9999999);
        Vector512<double> a0 = Vector512.Create(0.0), a1 = Vector512.Create(1.0), a2 = Vector512.Create(2.0), a3 = Vector512.Create(3.0),
            a4 = Vector512.Create(4.0), a5 = Vector512.Create(5.0), a6 = Vector512.Create(6.0), a7 = Vector512.Create(7.0),
            a8 = Vector512.Create(8.0), a9 = Vector512.Create(9.0), a10 = Vector512.Create(10.0), a11 = Vector512.Create(11.0);
        for (long i = 0; i < repeats; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
