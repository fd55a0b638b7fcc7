using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Core;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>One predict job on a cluster: the model, the data, an output path per input file. A local object.</summary>
internal sealed record PredictPlan(GaussianMixture Mixture, DatasetSpec Data, IReadOnlyList<string> Outputs, int MinimumNodes,
    TimeSpan JoinTimeout, int MaxFileAttempts, TaskCompletionSource Completion);

/// <summary>
/// Spreads the input files of a predict job over the worker nodes, one file at a time per node: each node writes
/// its files' predictions into the shared output folder (atomically, the same bytes as the embedded run). A file
/// whose node fails or is lost goes to another node; bad input ends the job, and the outputs written so far are removed.
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
    private readonly HashSet<int> _done = [];
    private readonly int[] _attempts;
    private bool _started;

    public PredictCoordinator(PredictPlan plan) : base(plan.JoinTimeout)
    {
        _plan = plan;
        _model = ParametersChunk.Of(_jobId, 0, plan.Mixture);
        _attempts = new int[plan.Outputs.Count];
        for (var f = 0; f < plan.Outputs.Count; f++) _pending.Enqueue(f);
        Receive<FilePredicted>(m => m.JobId == _jobId, OnFilePredicted);
    }

    public static Props Props(PredictPlan plan) => Akka.Actor.Props.Create(() => new PredictCoordinator(plan));

    protected override void OnJoinTimeout()
    {
        if (!_started) Fail(TooFewNodes(_nodes.Count, _plan.MinimumNodes));
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
        if (!_started) return;
        foreach (var node in _nodes.Where(n => n.Value is null).Select(n => n.Key).ToArray())
        {
            if (!_pending.TryDequeue(out var file)) return;
            _nodes[node] = file;
            _attempts[file]++;
            var m = _plan.Mixture;
            NodeOf(node).Tell(new PredictFile(_jobId, _plan.Data, m.CovarianceType, m.Components, m.Dimensions, file, _plan.Outputs[file]));
        }
    }

    private void OnFilePredicted(FilePredicted m)
    {
        var node = Sender.Path.Address;
        if (_nodes.TryGetValue(node, out var busy) && busy == m.FileIndex) _nodes[node] = null;
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
        else
        {
            // The node cannot serve this job (unreadable data, another dataset): it gets no more of its files.
            _log.Warning(m.Error);
            _nodes.Remove(node);
            _refused.Add(node);
            Requeue(m.FileIndex, m.Error);
        }
        Dispatch();
    }

    protected override void OnMemberLost(Address node)
    {
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

    private void Fail(string message)
    {
        if (_plan.Completion.Task.IsCompleted) return;
        foreach (var f in _done) File.Delete(_plan.Outputs[f]);
        _plan.Completion.TrySetException(new FitFailedException(message));
    }
}
