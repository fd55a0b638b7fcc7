using System.CommandLine;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cli;

/// <summary>The EM options <c>fit</c> and <c>select</c> share, the runtime options, and the <see cref="FitSettings"/> they make.</summary>
internal sealed class EmOptions
{
    /// <summary>The options' defaults are <see cref="FitSettings"/>'s (scikit-learn's), written there only.</summary>
    private static readonly FitSettings Defaults = new() { Components = 1 };

    public Option<int> MaxIter { get; } = new("--max-iter") { Description = "Most EM iterations per start", DefaultValueFactory = _ => Defaults.MaxIter };
    public Option<double> Tol { get; } = new("--tol") { Description = "Stop when the mean log-likelihood per sample changes by less than this", DefaultValueFactory = _ => Defaults.Tol };
    public Option<double> RegCovar { get; } = new("--reg-covar") { Description = "Added to the covariance diagonals, keeping them positive definite", DefaultValueFactory = _ => Defaults.RegCovar };
    public Option<string> Init { get; } = new("--init") { Description = "Initialisation: kmeans, k-means++, random or random-from-data", DefaultValueFactory = _ => Defaults.Init.ToName() };
    public Option<int> NInit { get; } = new("--n-init") { Description = "Starts to run; the one with the best log-likelihood is kept", DefaultValueFactory = _ => Defaults.NInit };
    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed of the initialisation", DefaultValueFactory = _ => Defaults.Seed };
    public Option<string?> Columns { get; } = CliOptions.Columns();
    public Option<string> OnInvalid { get; } = CliOptions.OnInvalid();
    public Option<int> ShardRows { get; } = CliOptions.ShardRows();
    public Option<string?> WeightColumn { get; } = CliOptions.WeightColumn("every sum of the fit counts a row w times; weight 0 leaves it out");
    public Option<int> Workers { get; } = CliOptions.Workers();
    public Option<long?> CacheMb { get; } = new("--cache-mb") { Description = "Memory for caching decoded shards, per process, in MiB (default: a quarter of the available memory)" };
    public Option<bool> Quiet { get; } = CliOptions.Quiet();
    public Option<string> Accelerate { get; } = new("--accelerate")
    {
        Description = "none (plain EM, one data pass an iteration) or squarem (extrapolated EM: usually fewer passes to converge; max-iter then bounds the passes)",
        DefaultValueFactory = _ => Defaults.Acceleration.ToName(),
    };
    public Option<string> CachePrecision { get; } = new("--cache-precision")
    {
        Description = "float64 (default) or float32: round DOUBLE values to float32 as they are read, halving the cache (approximate; FLOAT columns are cached as float32 exactly either way)",
        DefaultValueFactory = _ => "float64",
    };
    public Option<string> OnDegenerate { get; } = new("--on-degenerate")
    {
        Description = "A component whose covariance collapses: error (stop, the default), reseed (restart it at the row of lowest log-likelihood) or drop (go on with one fewer)",
        DefaultValueFactory = _ => Defaults.OnDegenerate.ToName(),
    };
    public Option<bool> Prior { get; } = new("--prior")
    {
        Description = "MAP EM with mclust's default conjugate prior (priorControl()); reg-covar then defaults to 0",
    };
    public Option<double?> PriorShrinkage { get; } = new("--prior-shrinkage") { Description = "The prior's shrinkage of the means towards the data's mean (default 0.01); implies --prior" };
    public Option<double?> PriorDof { get; } = new("--prior-dof") { Description = "The prior's degrees of freedom (default d + 2); implies --prior" };
    public Option<double?> PriorScale { get; } = new("--prior-scale")
    {
        Description = "The prior's scale as one number: s·I for full and tied, s for diag and spherical (default: the data's covariance / K^(2/d)); implies --prior",
    };
    public Option<string> Kernel { get; } = new("--kernel")
    {
        Description = "E-step kernel path, which decides the exact bits: auto (the widest every worker runs), vector512, vector256 or scalar",
        DefaultValueFactory = _ => "auto",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Columns, WeightColumn, MaxIter, Tol, RegCovar, Init, NInit, Seed, OnDegenerate, Prior, PriorShrinkage, PriorDof, PriorScale, Workers, CacheMb, OnInvalid, ShardRows, Quiet, Kernel, Accelerate, CachePrecision })
            command.Options.Add(option);
    }

    public FitSettings Settings(ParseResult r, int components, CovarianceType covariance, GaussianMixture? start)
    {
        var settings = new FitSettings
        {
            Components = components,
            CovarianceType = covariance,
            MaxIter = r.GetValue(MaxIter),
            Tol = r.GetValue(Tol),
            Prior = PriorOf(r),
            RegCovar = PriorOf(r) is not null && r.GetResult(RegCovar) is null or { Implicit: true } ? 0 : r.GetValue(RegCovar),
            Init = CliOptions.ParseInit(r.GetValue(Init)!),
            NInit = r.GetValue(NInit),
            Seed = r.GetValue(Seed),
            InitModel = start,
            Acceleration = AccelerationNames.TryParse(r.GetValue(Accelerate), out var acceleration) ? acceleration
                : throw new UsageException($"--accelerate must be none or squarem, got '{r.GetValue(Accelerate)}'"),
            OnDegenerate = DegeneratePolicyNames.TryParse(r.GetValue(OnDegenerate), out var policy) ? policy
                : throw new UsageException($"--on-degenerate must be error, reseed or drop, got '{r.GetValue(OnDegenerate)}'"),
            Kernel = KernelPaths.TryParse(r.GetValue(Kernel), out var kernel) ? kernel
                : throw new UsageException($"--kernel must be auto, vector512, vector256 or scalar, got '{r.GetValue(Kernel)}'"),
        };
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message.StartsWith("the ", StringComparison.Ordinal) ? e.Message : "--" + e.Message);
        }
        return settings;
    }

    private PriorSettings? PriorOf(ParseResult r)
    {
        var (shrinkage, dof, scale) = (r.GetValue(PriorShrinkage), r.GetValue(PriorDof), r.GetValue(PriorScale));
        if (!r.GetValue(Prior) && shrinkage is null && dof is null && scale is null) return null;
        return new PriorSettings { Shrinkage = shrinkage ?? PriorSettings.DefaultShrinkage, Dof = dof, Scale = scale };
    }

    public RuntimeOptions Runtime(ParseResult r)
    {
        var workers = r.GetValue(Workers);
        CliOptions.RequireWorkers(workers);
        return new RuntimeOptions(workers, CliOptions.CacheBytes(r.GetValue(CacheMb)));
    }

    public DataRequest Data(ParseResult r, Argument<string[]> inputs, IReadOnlyList<string>? columns) =>
        new(r.GetValue(inputs)!, columns, CliOptions.ParseOnInvalid(r.GetValue(OnInvalid)!), r.GetValue(ShardRows), r.GetValue(WeightColumn),
            r.GetValue(CachePrecision) switch
            {
                "float64" => false,
                "float32" => true,
                var other => throw new UsageException($"--cache-precision must be float64 or float32, got '{other}'"),
            });
}
