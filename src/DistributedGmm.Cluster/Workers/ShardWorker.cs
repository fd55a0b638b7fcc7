using Akka.Actor;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// Computes, for the groups it is asked for, the per-shard E-step statistics (or initial samples) through Core,
/// folds each group in shard order, and replies one chunked <see cref="GroupResult"/> series per group. It holds
/// the parameters of the latest step and a cache of its shards; the mathematics is all Core's.
/// </summary>
public sealed class ShardWorker : ReceiveActor
{
    private readonly IActorRef _coordinator;
    private readonly IShardSource _source;
    private readonly WorkerOptions _options;
    private readonly ShardCache _cache;
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource _fitWork = new();
    private Guid _fitId;
    private int _parametersStep = -1;
    private ChunkAssembler? _parameters;
    private (int Step, PreparedMixture Model)? _prepared;

    public ShardWorker(IActorRef coordinator, IShardSource source, WorkerOptions options)
    {
        _coordinator = coordinator;
        _source = source;
        _options = options;
        _cache = new ShardCache(source, options.CacheBytes);
        Receive<ParametersChunk>(OnParametersChunk);
        Receive<ComputeStatistics>(OnComputeStatistics);
        Receive<DrawSample>(OnDrawSample);
        Receive<GroupComputed>(OnGroupComputed);
        Receive<EndFit>(m =>
        {
            if (m.FitId != _fitId) return;
            _fitWork.Cancel();
            _parameters = null;
            _prepared = null;
        });
    }

    public static Props Props(IActorRef coordinator, IShardSource source, WorkerOptions options) =>
        Akka.Actor.Props.Create(() => new ShardWorker(coordinator, source, options));

    protected override void PreStart() => _coordinator.Tell(new RegisterWorker(_options.Parallelism));

    protected override void PostStop()
    {
        _stopping.Cancel();
        _fitWork.Cancel();
    }

    /// <summary>Work from here on belongs to <paramref name="fitId"/>; a new fit gets a fresh cancellation.</summary>
    private void Enter(Guid fitId)
    {
        if (fitId == _fitId && !_fitWork.IsCancellationRequested) return;
        _fitId = fitId;
        _fitWork = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
    }

    private void OnParametersChunk(ParametersChunk m)
    {
        if (m.FitId != _fitId || m.Step != _parametersStep || _parameters is null)
        {
            Enter(m.FitId);
            (_parametersStep, _parameters, _prepared) = (m.Step, new ChunkAssembler(m.Count), null);
        }
        _parameters!.Add(m.Index, m.Count, m.Values);
    }

    private void OnComputeStatistics(ComputeStatistics m)
    {
        var model = Prepared(m);
        if (model is null)
        {
            foreach (var g in m.Groups)
                Sender.Tell(new GroupFailed(m.FitId, m.Step, m.Attempt, g, false, "MissingParameters",
                    $"worker {_options.Index} has no parameters for step {m.Step}"));
            return;
        }
        if (!KernelPaths.Supports(m.Kernel))
        {
            foreach (var g in m.Groups)
                Sender.Tell(new GroupFailed(m.FitId, m.Step, m.Attempt, g, false, "UnsupportedKernel",
                    $"worker {_options.Index} cannot run kernel path {KernelPaths.Name(m.Kernel)} (it runs {KernelPaths.Name(KernelPaths.Best)} at most)"));
            return;
        }
        var kernel = m.Kernel;
        Start(m.FitId, m.Step, m.Attempt, m.Groups,
            shard => EStep.Compute(model, _cache.Get(shard), kernel),
            perShard => ShardReduction.Fold(perShard).Values);
    }

    private void OnDrawSample(DrawSample m)
    {
        Enter(m.FitId);
        var settings = new FitSettings { Components = 1, InitSampleRows = m.InitSampleRows, Seed = m.Seed };
        Start(m.FitId, m.Step, m.Attempt, m.Groups,
            shard => InitialSample.Draw(_cache.Get(shard), shard, m.TotalRows, settings),
            perShard => InitialSample.ToWire(InitialSample.Concatenate(perShard, _source.Dimensions)));
    }

    private void Start<T>(Guid fitId, int step, int attempt, int[] groups, Func<int, T> perShard, Func<T[], double[]> fold)
    {
        var self = Self;
        var replyTo = Sender;
        var token = _fitWork.Token;
        Task.Run(() =>
        {
            try
            {
                GroupRunner.Run(groups, _source.ShardCount, _options.Parallelism, perShard, fold,
                    (g, values) => self.Tell(new GroupComputed(replyTo, fitId, step, attempt, g, values, HashesOf(g), null)),
                    (g, error) => self.Tell(new GroupComputed(replyTo, fitId, step, attempt, g, null, [], error)),
                    token);
                _cache.CompactAfterFilling();
            }
            catch (OperationCanceledException)
            {
                // The worker stopped or the fit ended: nobody waits for these groups any more.
            }
        }, CancellationToken.None);
    }

    private void OnGroupComputed(GroupComputed m)
    {
        if (m.Error is { } error)
        {
            var inputError = InputErrors.IsInputError(error);
            var message = inputError ? error.Message : $"worker {_options.Index}: {error.GetType().Name}: {error.Message}";
            m.ReplyTo.Tell(new GroupFailed(m.FitId, m.Step, m.Attempt, m.Group, inputError, InputErrors.NameOf(error),
                ErrorText.Bound(message)));
            return;
        }
        var values = m.Values!;
        var count = Chunking.ChunkCount(values.Length);
        var index = 0;
        foreach (var chunk in Chunking.Split(values))
        {
            m.ReplyTo.Tell(new GroupResult(m.FitId, m.Step, m.Attempt, m.Group, index, count, chunk, index == 0 ? m.ShardHashes : []));
            index++;
        }
    }

    /// <summary>The content hashes of a group's shards, in shard order (all were read by the time the group is done).</summary>
    private ulong[] HashesOf(int group)
    {
        var first = ShardReduction.FirstShard(group);
        var hashes = new ulong[ShardReduction.ShardsIn(group, _source.ShardCount)];
        for (var i = 0; i < hashes.Length; i++) hashes[i] = _cache.HashOf(first + i);
        return hashes;
    }

    private PreparedMixture? Prepared(ComputeStatistics m)
    {
        if (_prepared is { } p && p.Step == m.Step && m.FitId == _fitId) return p.Model;
        if (m.FitId != _fitId || m.Step != _parametersStep || _parameters is not { Complete: true }) return null;
        var mixture = MixtureCodec.Decode(m.CovarianceType, m.Components, m.Dimensions, _parameters.Assemble());
        var model = PreparedMixture.Prepare(mixture, m.RegCovar);
        _prepared = (m.Step, model);
        return model;
    }
}
