using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cli;

/// <summary>
/// The seam between the commands and the runtime that runs EM over a dataset. Opened once per dataset, it can run
/// several fits (<c>select</c> fits many). Each fit runs on the embedded Akka.NET runtime (<see cref="EmbeddedFit"/>:
/// a coordinator and <c>--workers</c> shard workers in this process, reading their shards through a
/// <see cref="ParquetShardSource"/> and caching them) or, with <c>--cluster</c>, on worker nodes (<see cref="ClusterFit"/>);
/// either way the result equals Core's <see cref="InMemoryFitter"/> bit for bit.
/// </summary>
internal sealed class FitEngine : IDisposable
{
    private readonly RuntimeOptions _runtime;
    private readonly ParquetShardSource _source;

    public FitEngine(Dataset dataset, RuntimeOptions runtime)
    {
        _runtime = runtime;
        _source = new ParquetShardSource(dataset);
    }

    public Dataset Dataset => _source.Dataset;

    /// <summary>Rows in the data, before any invalid ones are skipped.</summary>
    public long Rows => Dataset.TotalRows;

    /// <summary>K components need K rows (scikit-learn's n_samples ≥ n_components).</summary>
    public void EnsureEnoughRows(int components)
    {
        if (components > Rows)
            throw new UsageException($"{components} components need at least {components} rows, but the data has {Rows:N0}");
    }

    public Task<FittedModel> FitAsync(FitSettings settings, IProgress<FitProgress>? progress, CancellationToken cancellationToken) =>
        FitAsync(settings, progress, null, cancellationToken);

    /// <summary>
    /// A fit that checkpoints after every iteration, or resumes, as <paramref name="checkpoint"/> says (null: neither).
    /// On a cluster, its status lines go to <paramref name="status"/> (null: stderr).
    /// </summary>
    public Task<FittedModel> FitAsync(FitSettings settings, IProgress<FitProgress>? progress, Checkpointing? checkpoint, CancellationToken cancellationToken,
        Action<string>? status = null)
    {
        EnsureEnoughRows(settings.Components);
        var job = Job(settings) with { Resume = checkpoint?.Resume, Checkpoint = checkpoint is null ? null : checkpoint.Save };
        var steps = progress is null ? null : new InlineProgress<FitProgress>(progress.Report);
        var clusterJob = ClusterJob(job, status);
        if (clusterJob is null && settings.Kernel is { } kernel && !KernelPaths.Supports(kernel))
            throw new UsageException($"--kernel {KernelPaths.Name(kernel)}: this machine runs {KernelPaths.Name(KernelPaths.Best)} at most (its CPU or {KernelPaths.Variable})");
        return clusterJob is { } cluster
            ? ClusterFit.RunAsync(cluster, _source, steps, cancellationToken)
            : EmbeddedFit.RunAsync(job, _source, steps, cancellationToken);
    }

    /// <summary>
    /// The data under <paramref name="model"/> through the same workers and ordered reduction as a fit (one E-step):
    /// the embedded and the cluster score are bit-identical.
    /// </summary>
    public Task<FittedModel> ScoreAsync(GaussianMixture model, CancellationToken cancellationToken)
    {
        var job = Job(new FitSettings { Components = model.Components, CovarianceType = model.CovarianceType, InitModel = model });
        return ClusterJob(job) is { } cluster
            ? ClusterFit.ScoreAsync(model, cluster, _source, cancellationToken)
            : EmbeddedFit.ScoreAsync(model, job, _source, cancellationToken);
    }

    /// <summary>On a cluster only: each input file's predictions written by a worker node to <paramref name="outputs"/> (one per file).</summary>
    public Task PredictAsync(GaussianMixture model, IReadOnlyList<string> outputs, CancellationToken cancellationToken, Action<string>? status = null,
        IReadOnlyList<string>? keepColumns = null)
    {
        var job = Job(new FitSettings { Components = model.Components, CovarianceType = model.CovarianceType, InitModel = model });
        var cluster = ClusterJob(job, status) ?? throw new InvalidOperationException("predict runs on the runtime only with --cluster");
        return ClusterFit.PredictAsync(model, cluster, _source, outputs, cancellationToken, keepColumns);
    }

    private FitJob Job(FitSettings settings)
    {
        var job = new FitJob { Settings = settings, Workers = _runtime.Workers, Runtime = _runtime.Cluster?.Settings ?? GmmSettings.Default };
        return _runtime.CacheBytes is { } cache ? job with { CacheBytes = cache } : job;
    }

    private ClusterFitJob? ClusterJob(FitJob job, Action<string>? status = null) => _runtime.Cluster is not { } cluster
        ? null
        : new ClusterFitJob
        {
            Job = job,
            Node = cluster.Node,
            MinimumNodes = cluster.MinimumNodes,
            Log = status ?? ProgressDisplay.PlainStatus,
        };

    /// <summary>Rows the fit left out as invalid (<c>--on-invalid skip</c>): the data's rows less the rows the fit read.</summary>
    public long SkippedRows(FittedModel model) => Math.Max(0, Rows - model.Rows);

    public void Dispose() => _source.Dispose();

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so lines come out in order.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
