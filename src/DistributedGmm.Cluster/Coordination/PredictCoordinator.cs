using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Spreads the input files of a predict job over the worker nodes, one file at a time per node: each node writes
/// its files' predictions into the shared output folder (atomically, the same bytes as the embedded run), or uploads
/// each whole to its s3:// object. A file whose node fails, is lost or writes no shard of it within the request
/// timeout goes to another node; bad input or cancellation ends the job, and the outputs written so far are
/// removed, as is one a node reports written after the job ended.
/// </summary>
internal sealed class PredictCoordinator : WorkerMembershipActor
{
    private readonly PredictPlan _plan;
    private readonly Guid _jobId = Guid.NewGuid();
    private readonly ParametersChunk[] _model;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<int> _pending = new();
    private readonly Dictionary<Address, int?> _nodes = [];
    private readonly HashSet<Address> _refused = [];
    private readonly List<string> _protocolRefusals = [];
    private readonly HashSet<int> _done = [];
    private readonly int[] _attempts;
    /// <summary>Per busy node: when it must have reported progress on its file (Stopwatch ticks).</summary>
    private readonly Dictionary<Address, long> _deadlines = [];
    private bool _started;
    /// <summary>Set once the job failed or was cancelled: what is in flight settles, then the job ends (<see cref="Finish"/>).</summary>
    private FitFailedException? _ending;
    private bool _ended;
    /// <summary>While ending: the nodes that still had a file in flight, and the files written meanwhile.</summary>
    private readonly HashSet<Address> _settling = [];
    private readonly List<int> _late = [];

    public PredictCoordinator(PredictPlan plan) : base(plan.JoinTimeout)
    {
        _plan = plan;
        _model = ParametersChunk.Of(_jobId, 0, plan.Mixture);
        _attempts = new int[plan.Outputs.Count];
        for (var f = 0; f < plan.Outputs.Count; f++) _pending.Enqueue(f);
        Receive<FilePredicted>(m => m.JobId == _jobId, OnFilePredicted);
        Receive<FileProgress>(m => m.JobId == _jobId, OnFileProgress);
        Receive<CheckProgress>(_ => OnCheckProgress());
        Receive<CancelFit>(_ => End(Cancelled));
        Receive<SettleTimedOut>(_ => Finish());
    }

    /// <summary>The caller cancelled the job (Ctrl+C): it ends as cancelled, not as failed.</summary>
    private static readonly FitFailedException Cancelled = new("cancelled");

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer(nameof(CheckProgress), CheckProgress.Instance, new RequestTimeout(_plan.RequestTimeout).CheckInterval);
    }

    public static Props Props(PredictPlan plan) => Akka.Actor.Props.Create(() => new PredictCoordinator(plan));

    /// <summary>The node shut down (downed by the cluster) with files still to write: the job cannot finish here.</summary>
    protected override void PostStop()
    {
        base.PostStop();
        if (_plan.Completion.Task.IsCompleted) return;
        _ending ??= new FitFailedException("the coordinator stopped before the job finished");
        Finish(); // nothing can settle now
    }

    protected override void OnJoinTimeout()
    {
        if (!_started) Fail(TooFewNodes(_nodes.Count, _plan.MinimumNodes) + string.Concat(_protocolRefusals.Select(r => "; " + r)));
    }

    protected override void OnRefused(Address node, string reason)
    {
        _refused.Add(node);
        _protocolRefusals.Add(reason);
        _log.Warning(reason);
    }

    protected override void OnWorkerUp(Akka.Cluster.Member member)
    {
        if (_refused.Contains(member.Address) || !_nodes.TryAdd(member.Address, null)) return;
        foreach (var chunk in _model) NodeOf(member.Address).Tell(chunk);
        if (!_started && _nodes.Count >= _plan.MinimumNodes) _started = true;
        Dispatch();
    }

    private void Dispatch()
    {
        if (!_started || _ending is not null) return;
        foreach (var node in _nodes.Where(n => n.Value is null).Select(n => n.Key).ToArray())
        {
            int file;
            do
            {
                if (!_pending.TryDequeue(out file)) return;
            } while (_done.Contains(file)); // written after all by a node that had been given up on
            _nodes[node] = file;
            _deadlines[node] = Deadline();
            _attempts[file]++;
            var m = _plan.Mixture;
            NodeOf(node).Tell(new PredictFile(_jobId, _plan.Data, m.CovarianceType, m.Components, m.Dimensions, file, _plan.Outputs[file], _plan.KeepColumns));
        }
    }

    private void OnFilePredicted(FilePredicted m)
    {
        var node = Sender.Path.Address;
        if (_ending is not null)
        {
            // A node that had not yet heard the job ended: what it wrote is removed like the others.
            if (m.Error is null && _ended) _ = WrittenOutputs.RemoveAsync([_plan.Outputs[m.FileIndex]]);
            else if (m.Error is null) _late.Add(m.FileIndex);
            Settled(node);
            return;
        }
        var current = _nodes.TryGetValue(node, out var busy) && busy == m.FileIndex;
        if (current)
        {
            _nodes[node] = null;
            _deadlines.Remove(node);
        }
        if (m.Error is null)
        {
            _done.Add(m.FileIndex);
            if (_done.Count == _plan.Outputs.Count) _plan.Completion.TrySetResult();
        }
        else if (m.InputError)
        {
            Fail(m.Error);
            return;
        }
        else if (current)
        {
            // The node cannot serve this job (unreadable data, another dataset): it gets no more of its files.
            _log.Warning(m.Error);
            GiveUp(node, m.FileIndex, m.Error);
        }
        Dispatch();
    }

    private void OnFileProgress(FileProgress m)
    {
        var node = Sender.Path.Address;
        if (_nodes.TryGetValue(node, out var busy) && busy == m.FileIndex) _deadlines[node] = Deadline();
    }

    private void OnCheckProgress()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (node, deadline) in _deadlines.Where(d => d.Value < now).ToArray())
        {
            if (_nodes[node] is not { } file) continue;
            var reason = $"node {node} wrote no shard of {_plan.Outputs[file]} within {_plan.RequestTimeout.TotalSeconds:0.#} s";
            _log.Warning(reason);
            GiveUp(node, file, reason);
        }
        Dispatch();
    }

    /// <summary>The node gets no more files of this job; its file goes back in the queue.</summary>
    private void GiveUp(Address node, int file, string reason)
    {
        _nodes.Remove(node);
        _deadlines.Remove(node);
        _refused.Add(node);
        Requeue(file, reason);
    }

    private long Deadline() => new RequestTimeout(_plan.RequestTimeout).DeadlineFromNow();

    protected override void OnMemberLost(Address node)
    {
        if (_ending is not null)
        {
            Settled(node);
            return;
        }
        _deadlines.Remove(node);
        if (!_nodes.Remove(node, out var busy)) return;
        if (busy is { } file) Requeue(file, $"node {node} was lost");
        Dispatch();
    }

    private void Requeue(int file, string reason)
    {
        if (_attempts[file] >= _plan.MaxFileAttempts) Fail($"{_plan.Outputs[file]}: failed {_attempts[file]} times; last: {reason}");
        else if (_started && _nodes.Count == 0) Fail($"no worker node left to predict with; last: {reason}");
        else _pending.Enqueue(file);
    }

    private void Fail(string message) => End(new FitFailedException(message));

    /// <summary>
    /// Ends the job with <paramref name="failure"/> (or <see cref="Cancelled"/>): every node with a file in flight
    /// is told (<see cref="EndFit"/>) and answers once that file is dropped, or written (then it is removed too), so
    /// nothing the job wrote outlives it; a node that does not answer within the request timeout is not waited for.
    /// </summary>
    private void End(FitFailedException failure)
    {
        if (_ending is not null || _plan.Completion.Task.IsCompleted) return;
        _ending = failure;
        Timers.Cancel(nameof(CheckProgress));
        foreach (var (node, file) in _nodes)
        {
            if (file is null) continue;
            _settling.Add(node);
            NodeOf(node).Tell(new EndFit(_jobId));
        }
        if (_settling.Count == 0) Finish();
        else Timers.StartSingleTimer(nameof(SettleTimedOut), SettleTimedOut.Instance, _plan.RequestTimeout);
    }

    private void Settled(Address node)
    {
        if (_settling.Remove(node) && _settling.Count == 0) Finish();
    }

    /// <summary>Removes the outputs the job wrote (objects take requests: off the actor's thread), then tells the caller.</summary>
    private void Finish()
    {
        if (_ended || _ending is not { } failure) return;
        _ended = true;
        var written = _done.Concat(_late).Distinct().Select(f => _plan.Outputs[f]).ToArray();
        var completion = _plan.Completion;
        WrittenOutputs.RemoveAsync(written).ContinueWith(_ =>
        {
            if (ReferenceEquals(failure, Cancelled)) completion.TrySetCanceled();
            else completion.TrySetException(failure);
        }, TaskScheduler.Default);
    }

    private sealed class SettleTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly SettleTimedOut Instance = new();
    }

    private sealed class CheckProgress : INoSerializationVerificationNeeded
    {
        public static readonly CheckProgress Instance = new();
    }
}
