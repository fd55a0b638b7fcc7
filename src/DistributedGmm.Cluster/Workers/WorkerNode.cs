using Akka.Actor;
using Akka.Cluster;
using DistributedGmm.Cluster.Hosting;
using Akka.Event;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Data;
using DistributedGmm.Data.ObjectStorage;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// The long-lived actor of a worker node (<c>/user/gmm-node</c>). For each <see cref="JoinFit"/> it discovers the
/// dataset itself, checks the coordinator's fingerprint, and starts a <see cref="WorkerSupervisor"/> of shard
/// workers that register with the coordinator as in the embedded runtime. The fit's workers and data are
/// released when the coordinator terminates (its node leaves or is lost). A coordinator of another wire protocol
/// (<see cref="WireProtocol"/>) is refused, and said so once when it joins the cluster.
/// </summary>
public sealed class WorkerNode : ReceiveActor
{
    private readonly WorkerNodeOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<Guid, PredictJob> _predictions = new();
    private readonly Dictionary<IActorRef, (Guid FitId, IActorRef Supervisor, ParquetShardSource Source)> _fits = new();
    /// <summary>Supervisors of ended fits, until their shard workers have stopped.</summary>
    private readonly HashSet<IActorRef> _stopping = [];

    public WorkerNode(WorkerNodeOptions options)
    {
        _options = options;
        Receive<JoinFit>(OnJoin);
        Receive<ParametersChunk>(OnModelChunk);
        Receive<PredictFile>(OnPredictFile);
        Receive<Terminated>(m => OnTerminated(m.ActorRef));
        Receive<EndFit>(m =>
        {
            // A predict job that failed or was cancelled: the file in flight is dropped (and answered for).
            if (_predictions.TryGetValue(m.FitId, out var job)) job.Cancel.Cancel();
        });
        Receive<ClusterEvent.MemberUp>(m => OnMemberUp(m.Member));
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));

    private void OnMemberUp(Member member)
    {
        if (member.HasRole(ClusterConfig.CoordinatorRole) && WireProtocol.Mismatch(member) is { } mismatch)
        {
            _log.Warning(mismatch);
            _options.Log?.Invoke($"refusing the jobs of {mismatch}");
        }
    }

    /// <summary>Why the coordinator behind <see cref="ActorBase.Sender"/> cannot be served for its protocol; null if it can.</summary>
    private string? ProtocolRefusal()
    {
        var address = Sender.Path.Address;
        return _cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address)) is { } member ? WireProtocol.Mismatch(member) : null;
    }

    public static Props Props(WorkerNodeOptions options) => Akka.Actor.Props.Create(() => new WorkerNode(options));

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        foreach (var fit in _fits.Values) fit.Source.Dispose();
    }

    /// <summary>The mixture of a predict job, in chunks before its first <see cref="PredictFile"/>.</summary>
    private void OnModelChunk(ParametersChunk m)
    {
        if (!_predictions.TryGetValue(m.FitId, out var job))
        {
            _predictions[m.FitId] = job = new PredictJob(Sender, new ChunkAssembler(m.Count));
            Context.Watch(Sender);
        }
        job.Model.Add(m.Index, m.Count, m.Values);
    }

    private void OnPredictFile(PredictFile m)
    {
        var replyTo = Sender;
        if (ProtocolRefusal() is { } protocol)
        {
            replyTo.Tell(new FilePredicted(m.JobId, m.FileIndex, false, Refusal(m.JobId, protocol)));
            return;
        }
        if (!_predictions.TryGetValue(m.JobId, out var job) || !job.Model.Complete)
        {
            replyTo.Tell(new FilePredicted(m.JobId, m.FileIndex, false, Refusal(m.JobId, "has no model for this job")));
            return;
        }
        try
        {
            job.Source ??= DatasetFingerprint.Open(m.Data);
            job.Scorer ??= new MixtureScorer(MixtureCodec.Decode(m.CovarianceType, m.Components, m.Dimensions, job.Model.Assemble()));
        }
        catch (InvalidOperationException e)
        {
            replyTo.Tell(new FilePredicted(m.JobId, m.FileIndex, false, ErrorText.Bound(Refusal(m.JobId, e.Message))));
            return;
        }
        var (dataset, scorer, cancel) = (job.Source.Dataset, job.Scorer, job.Cancel.Token);
        var log = _options.Log;
        // The replies leave from a pool thread, where no actor is current: without Self as their sender they would
        // reach the coordinator from dead letters, and it could not tell which node had finished or progressed.
        var self = Self;
        Task.Run(async () =>
        {
            try
            {
                BlockScorer score = (block, ll, p, labels) => scorer.Score(block, ll, p, labels);
                // A shard written, or more bytes of the upload sent: the coordinator's deadline measures a stall, not the file's whole time.
                void Progressed() => replyTo.Tell(new FileProgress(m.JobId, m.FileIndex), self);
                if (ObjectUri.IsObjectUri(m.OutputPath))
                    await PredictionWriter.WriteObjectAsync(dataset, m.FileIndex, m.Components, score, m.OutputPath, cancel, Progressed, m.KeepColumns);
                else PredictionWriter.WriteFile(dataset, m.FileIndex, m.Components, score, m.OutputPath, cancel, Progressed, m.KeepColumns);
                log?.Invoke($"wrote {m.OutputPath}");
                replyTo.Tell(new FilePredicted(m.JobId, m.FileIndex, false, null), self);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // The job ended: the file's temporary is removed. (An upload already sent ends and its object stands,
                // reported as written: a node never deletes a key, which may hold another node's good object; the
                // coordinator removes the outputs of a job that failed.) A coordinator that is still there (EndFit)
                // waits for this answer; one that is gone does not hear it.
                log?.Invoke($"dropped {m.OutputPath}: its job ended");
                replyTo.Tell(new FilePredicted(m.JobId, m.FileIndex, false, "dropped: the job ended"), self);
            }
            catch (Exception e)
            {
                replyTo.Tell(new FilePredicted(m.JobId, m.FileIndex, InputErrors.IsInputError(e), ErrorText.Bound(e.Message)), self);
            }
        });
    }

    private sealed class PredictJob(IActorRef coordinator, ChunkAssembler model)
    {
        public IActorRef Coordinator { get; } = coordinator;
        public ChunkAssembler Model { get; } = model;
        public ParquetShardSource? Source { get; set; }
        public MixtureScorer? Scorer { get; set; }
        /// <summary>Cancelled when the job ends (EndFit) or its coordinator terminates, so a file still being written is not renamed into place, nor uploaded, after the job ended.</summary>
        public CancellationTokenSource Cancel { get; } = new();
    }

    private void OnJoin(JoinFit m)
    {
        if (ProtocolRefusal() is { } protocol)
        {
            Refuse(m.FitId, protocol);
            return;
        }
        if (m.Kernel is { } kernel && !KernelPaths.Supports(kernel))
        {
            Refuse(m.FitId, $"cannot run the fit's kernel path {KernelPaths.Name(kernel)}: this node runs {KernelPaths.Name(KernelPaths.Best)} at most (its CPU or {KernelPaths.Variable})");
            return;
        }
        if (_fits.TryGetValue(m.Coordinator, out var known) && known.FitId == m.FitId)
        {
            Sender.Tell(new NodeJoined(m.FitId, _options.Workers, KernelPaths.Best));
            return;
        }
        ParquetShardSource source;
        try
        {
            source = DatasetFingerprint.Open(m.Data);
        }
        catch (InvalidOperationException e)
        {
            Refuse(m.FitId, e.Message);
            return;
        }
        var seen = m.Data.Fingerprint;
        var workers = Enumerable.Range(0, _options.Workers).Select(i => ShardWorker.Props(m.Coordinator, source,
            WorkerOptions.OneOf(i, _options.Workers, _options.Parallelism, _options.CacheBytes))).ToArray();
        var supervisor = Context.ActorOf(WorkerSupervisor.Props(workers), $"fit-{m.FitId:N}");
        Context.Watch(m.Coordinator);
        _fits[m.Coordinator] = (m.FitId, supervisor, source);
        _options.Log?.Invoke($"joined fit {m.FitId:N} with {_options.Workers} shard worker(s): {seen}");
        Sender.Tell(new NodeJoined(m.FitId, _options.Workers, KernelPaths.Best));
    }

    private string Refusal(Guid jobId, string reason)
    {
        var message = $"node {_cluster.SelfAddress}: {reason}";
        _log.Warning(message);
        _options.Log?.Invoke($"refused job {jobId:N}: {message}");
        return message;
    }

    private void Refuse(Guid fitId, string reason) => Sender.Tell(new NodeRefused(fitId, Refusal(fitId, reason)));

    /// <summary>A coordinator went (its job ended or its node was lost), or a finished fit's shard workers stopped.</summary>
    private void OnTerminated(IActorRef actor)
    {
        if (_stopping.Remove(actor))
        {
            // The fit's shard workers and their caches are gone: an idle node gives that memory back.
            ReturnMemoryIfIdle();
            return;
        }
        Release(actor);
    }

    /// <summary>
    /// With no job left, hands the finished jobs' memory back and says so in the node's log, with the heap that
    /// remains: an operator (and the memory soak) reads a node's memory at rest after this line.
    /// </summary>
    private void ReturnMemoryIfIdle()
    {
        if (_fits.Count > 0 || _predictions.Count > 0 || _stopping.Count > 0) return;
        IdleMemory.Return();
        _options.Log?.Invoke($"idle: memory handed back, {GC.GetTotalMemory(forceFullCollection: false) / (1 << 20)} MiB of heap in use");
    }

    private void Release(IActorRef coordinator)
    {
        foreach (var (id, job) in _predictions.Where(p => p.Value.Coordinator.Equals(coordinator)).ToArray())
        {
            _predictions.Remove(id);
            job.Cancel.Cancel();
            job.Source?.Dispose();
        }
        if (!_fits.Remove(coordinator, out var fit))
        {
            ReturnMemoryIfIdle();
            return;
        }
        Context.Watch(fit.Supervisor);
        _stopping.Add(fit.Supervisor);
        Context.Stop(fit.Supervisor);
        fit.Source.Dispose();
        _options.Log?.Invoke($"fit {fit.FitId:N} ended");
    }
}
