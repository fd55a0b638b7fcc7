using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Workers;

/// <summary>How a worker node serves fits: shard workers per fit, their threads and cache, and where it says what it does.</summary>
public sealed record WorkerNodeOptions
{
    public int Workers { get; init; } = 1;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public long CacheBytes { get; init; } = FitJob.DefaultCacheBytes;
    /// <summary>One line per event (a fit joined, refused, ended), for the node's log.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// The long-lived actor of a worker node (<c>/user/gmm-node</c>). For each <see cref="JoinFit"/> it discovers the
/// dataset itself, checks the coordinator's fingerprint, and starts a <see cref="WorkerSupervisor"/> of shard
/// workers that register with the coordinator as in the embedded runtime. The fit's workers and data are
/// released when the coordinator terminates (its node leaves or is lost).
/// </summary>
public sealed class WorkerNode : ReceiveActor
{
    private readonly WorkerNodeOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, (Guid FitId, IActorRef Supervisor, ParquetShardSource Source)> _fits = new();

    public WorkerNode(WorkerNodeOptions options)
    {
        _options = options;
        Receive<JoinFit>(OnJoin);
        Receive<Terminated>(m => Release(m.ActorRef));
    }

    public static Props Props(WorkerNodeOptions options) => Akka.Actor.Props.Create(() => new WorkerNode(options));

    protected override void PostStop()
    {
        foreach (var fit in _fits.Values) fit.Source.Dispose();
    }

    private void OnJoin(JoinFit m)
    {
        if (_fits.TryGetValue(m.Coordinator, out var known) && known.FitId == m.FitId)
        {
            Sender.Tell(new NodeJoined(m.FitId, _options.Workers));
            return;
        }
        ParquetShardSource source;
        try
        {
            var options = new DataOptions { Columns = m.Columns, OnInvalid = (InvalidValuePolicy)m.OnInvalid, ShardRows = m.ShardRows };
            source = ParquetShardSource.Open(m.Inputs, options);
        }
        catch (Exception e)
        {
            Refuse(m, $"cannot read the data: {e.Message}");
            return;
        }
        var seen = DatasetFingerprint.Of(source.Dataset);
        if (seen != m.Fingerprint)
        {
            source.Dispose();
            Refuse(m, $"sees a different dataset: {seen}; the coordinator sees {m.Fingerprint}");
            return;
        }
        var workers = Enumerable.Range(0, _options.Workers).Select(i => ShardWorker.Props(m.Coordinator, source, new WorkerOptions
        {
            Index = i,
            Parallelism = _options.Parallelism,
            CacheBytes = _options.CacheBytes / _options.Workers,
        })).ToArray();
        var supervisor = Context.ActorOf(WorkerSupervisor.Props(workers), $"fit-{m.FitId:N}");
        Context.Watch(m.Coordinator);
        _fits[m.Coordinator] = (m.FitId, supervisor, source);
        _options.Log?.Invoke($"joined fit {m.FitId:N} with {_options.Workers} shard worker(s): {seen}");
        Sender.Tell(new NodeJoined(m.FitId, _options.Workers));
    }

    private void Refuse(JoinFit m, string reason)
    {
        var message = $"node {Self.Path.Address}: {reason}";
        _log.Warning(message);
        _options.Log?.Invoke($"refused fit {m.FitId:N}: {message}");
        Sender.Tell(new NodeRefused(m.FitId, message));
    }

    private void Release(IActorRef coordinator)
    {
        if (!_fits.Remove(coordinator, out var fit)) return;
        Context.Stop(fit.Supervisor);
        fit.Source.Dispose();
        _options.Log?.Invoke($"fit {fit.FitId:N} ended");
    }
}
