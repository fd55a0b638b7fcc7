using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

/// <summary>Small synthetic data cut into many small shards of uneven size, so that there are several groups.</summary>
internal static class TestData
{
    /// <summary>Every message goes through its serializer even inside one process.</summary>
    public const string Hocon = "akka.actor.serialize-messages = on";

    public static Config Config => ConfigurationFactory.ParseString(Hocon);

    public static GaussianMixture Truth(int dimensions = 3) => new(CovarianceType.Diag, 3, dimensions,
        [0.5, 0.3, 0.2],
        Enumerable.Range(0, 3 * dimensions).Select(i => (i % dimensions == 0 ? 6.0 : 1.0) * (i / dimensions) + 0.1 * i).ToArray(),
        Enumerable.Range(0, 3 * dimensions).Select(i => 0.5 + 0.25 * (i % 3)).ToArray());

    /// <summary>About <paramref name="rows"/> rows in shards of 40–119 rows (≈ 40 shards, 5 groups for 3,000 rows).</summary>
    public static IReadOnlyList<RowBlock> Shards(int rows = 3000, int seed = 7, int dimensions = 3)
    {
        var sampler = new MixtureSampler(Truth(dimensions), seed);
        var shards = new List<RowBlock>();
        var made = 0;
        var i = 0;
        while (made < rows)
        {
            var size = Math.Min(40 + (i++ * 37) % 80, rows - made);
            shards.Add(sampler.Sample(size));
            made += size;
        }
        return shards;
    }

    public static FitSettings Settings(CovarianceType type = CovarianceType.Full, int nInit = 1) => new()
    {
        Components = 3,
        CovarianceType = type,
        MaxIter = 25,
        Tol = 1e-6,
        NInit = nInit,
        Seed = 11,
        InitSampleRows = 1000,
    };

    public static FitJob Job(FitSettings settings, int workers = 3) => new()
    {
        Settings = settings,
        Workers = workers,
        WorkerParallelism = 2,
        Runtime = Runtime,
    };

    /// <summary>The runtime settings of <see cref="Job"/>: a request timeout shorter than the default, room for a loaded machine.</summary>
    public static GmmSettings Runtime { get; } = GmmSettings.Default with { RequestTimeout = TimeSpan.FromSeconds(20) };

    /// <summary>What the tests run the embedded runtime with: every message through its serializer.</summary>
    public static Config Hooks => Config;

    /// <summary>The shards most tests fit: 3,000 rows, d = 3, ≈ 40 shards in 5 groups.</summary>
    public static readonly IReadOnlyList<RowBlock> Standard = Shards();

    public static readonly InMemoryShardSource StandardSource = new(Standard);

    /// <summary>The reference: <see cref="InMemoryFitter"/> on the standard shards.</summary>
    public static FittedModel InMemory(FitSettings settings) => InMemoryFitter.Fit(Standard, StandardSource.Columns, settings);
}
