using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Drives one fit over the registered workers: deals shard groups, broadcasts parameters, collects each group's
/// result, and hands complete rounds, in group order, to <see cref="FitSequence"/>. Watches workers: a lost
/// worker's or an overdue group goes to a survivor; a group that fails too often, or bad input, ends the fit.
/// </summary>
public sealed class FitCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>Group ids in one request (4 bytes each): a frame stays far under the limit however large the data.</summary>
    private const int MaxGroupsPerRequest = 4096;

    private readonly FitPlan _plan;
    private readonly FitSequence _sequence;
    private readonly GroupAssignment<IActorRef> _assignment;
    private readonly List<IActorRef> _workers = [];
    private readonly HashSet<IActorRef> _hasParameters = [];
    private readonly Guid _fitId = Guid.NewGuid();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Round<IActorRef>? _round;
    private Func<int[], int, IGmmMessage>? _request;
    private ParametersChunk[] _parameters = [];
    private long _roundStarted;
    private int _step;
    private bool _started;
    private bool _finished;
    private bool _rebalance;
    private int _minimumWorkers;
    private KernelPath _kernel;
    private readonly ShardIdentity _identity;

    public FitCoordinator(FitPlan plan)
    {
        _plan = plan;
        _minimumWorkers = plan.MinimumWorkers;
        var source = plan.Source;
        _sequence = Sequence(plan);
        _assignment = new GroupAssignment<IActorRef>(GroupAssignment<IActorRef>.RowsPerGroup(source.ShardCount, source.RowsIn));
        // The settings' path, else (auto) this process's best until a recruiter says what every joined node runs.
        _kernel = plan.Settings.Kernel ?? KernelPaths.Best;
        _identity = new ShardIdentity(source.ShardCount, plan.Resume?.ShardHashes ?? [], source.Describe);
        Receive<RegisterWorker>(_ => OnRegister(Sender));
        Receive<Terminated>(m => OnWorkerLost(m.ActorRef));
        Receive<GroupResult>(OnGroupResult);
        Receive<GroupFailed>(OnGroupFailed);
        Receive<CheckDeadlines>(_ => OnCheckDeadlines());
        Receive<RegistrationTimeout>(_ => OnRegistrationTimeout());
        Receive<ExpectWorkers>(m =>
        {
            _minimumWorkers = m.Count;
            if (m.Kernel is { } kernel) _kernel = kernel;
            if (!_started && !_finished && _workers.Count >= _minimumWorkers) Begin();
        });
        Receive<NodeLost>(m =>
        {
            foreach (var w in _workers.Where(w => w.Path.Address.Equals(m.Address)).ToArray()) OnWorkerLost(w);
        });
        Receive<CancelFit>(_ => Finish(new OperationCanceledException("the fit was cancelled", _plan.CancellationToken)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The steps <paramref name="plan"/> asks for; throws for settings or a model that do not fit the data.</summary>
    public static FitSequence Sequence(FitPlan plan) => plan.ScoreOnly is { } model
        ? FitSequence.Scoring(model, plan.Source.Columns, plan.Source.Dimensions, plan.Source.WeightColumn)
        : plan.Resume is { } state
            ? FitSequence.Resuming(plan.Settings, plan.Source.Columns, plan.Source.Dimensions, state, plan.Source.WeightColumn)
            : new FitSequence(plan.Settings, plan.Source.Columns, plan.Source.Dimensions, plan.Source.WeightColumn);

    public static Props Props(FitPlan plan) => Akka.Actor.Props.Create(() => new FitCoordinator(plan));

    protected override void PreStart()
    {
        if (RegistrationWait != Timeout.InfiniteTimeSpan)
            Timers.StartSingleTimer(nameof(RegistrationTimeout), RegistrationTimeout.Instance, RegistrationWait);
        Timers.StartPeriodicTimer(nameof(CheckDeadlines), CheckDeadlines.Instance, new RequestTimeout(_plan.RequestTimeout).CheckInterval);
    }

    protected override void PreRestart(Exception reason, object message)
    {
        Finish(reason);
        base.PreRestart(reason, message);
    }

    protected override void PostStop() =>
        Finish(new FitFailedException("the coordinator stopped before the fit finished"));

    private TimeSpan RegistrationWait => _plan.RegistrationTimeout ?? _plan.RequestTimeout;

    private void OnRegister(IActorRef worker)
    {
        if (_finished || _workers.Contains(worker)) return;
        Context.Watch(worker);
        _workers.Add(worker);
        // A worker that comes in mid-fit gets groups from the next round on (results do not depend on owners).
        if (_started) _rebalance = true;
        else if (_workers.Count >= _minimumWorkers) Begin();
    }

    private void OnRegistrationTimeout()
    {
        if (_started || _finished) return;
        if (_workers.Count > 0) Begin();
        else Finish(new FitFailedException($"no worker registered within {RegistrationWait}"));
    }

    private void Begin()
    {
        _started = true;
        Timers.Cancel(nameof(RegistrationTimeout));
        _assignment.Distribute(_workers);
        Guarded(NextRound);
    }

    /// <summary>Starts the round the fit sequence asks for: the sample, or an E-step under its parameters.</summary>
    private void NextRound()
    {
        if (_plan.CancellationToken.IsCancellationRequested)
        {
            Finish(new OperationCanceledException("the fit was cancelled", _plan.CancellationToken));
            return;
        }
        _step++;
        if (_rebalance)
        {
            _rebalance = false;
            _assignment.Distribute(_workers);
            _log.Info("step {0}: groups dealt again over {1} workers", _step, _workers.Count);
        }
        _round = new Round<IActorRef>(_step, _assignment.GroupCount);
        _hasParameters.Clear();
        _roundStarted = Stopwatch.GetTimestamp();
        var (fitId, step) = (_fitId, _step);
        if (_sequence.Stage == FitStage.Sample)
        {
            var s = _plan.Settings;
            _parameters = [];
            _request = (groups, attempt) => new DrawSample(fitId, step, attempt, _plan.Source.TotalRows, s.InitSampleRows, s.Seed, groups);
        }
        else
        {
            var p = _sequence.Parameters;
            _parameters = ParametersChunk.Of(fitId, step, p.Mixture);
            var regCovar = _plan.Settings.RegCovar;
            var kernel = _kernel;
            _request = (groups, attempt) => new ComputeStatistics(fitId, step, attempt, p.CovarianceType, p.Components, p.Dimensions, regCovar, kernel, groups);
        }
        foreach (var worker in _workers)
        {
            var groups = _assignment.GroupsOf(worker);
            if (groups.Length > 0) Send(worker, groups, 0);
        }
    }

    private void Send(IActorRef worker, int[] groups, int attempt)
    {
        if (_parameters.Length > 0 && _hasParameters.Add(worker))
            foreach (var chunk in _parameters) worker.Tell(chunk);
        var deadline = Deadline();
        foreach (var g in groups) _round!.Assign(g, worker, attempt, deadline);
        foreach (var part in groups.Chunk(MaxGroupsPerRequest)) worker.Tell(_request!(part, attempt));
    }

    private long Deadline() => new RequestTimeout(_plan.RequestTimeout).DeadlineFromNow();

    private bool Current(IFitRoundMessage m) => !_finished && m.FitId == _fitId && _round is { } r && m.Step == r.Step;

    private void OnGroupResult(GroupResult m)
    {
        if (!Current(m)) return;
        if (m.ShardHashes.Length > 0)
        {
            try
            {
                _identity.Check(ShardReduction.FirstShard(m.Group), m.ShardHashes, Sender.Path.Address.ToString());
            }
            catch (Data.DataException e)
            {
                Finish(e);
                return;
            }
        }
        var round = _round!;
        round.Extend(Sender, Deadline());
        if (!round.Accept(m) || !round.Complete) return;
        Guarded(() => CompleteRound(round));
    }

    private void CompleteRound(Round<IActorRef> round)
    {
        var elapsed = Stopwatch.GetElapsedTime(_roundStarted);
        switch (_sequence.Stage)
        {
            case FitStage.Sample:
                _sequence.AcceptSample(round.Results);
                break;
            default:
                if (_sequence.AcceptStatistics(round.Results, elapsed) is { } step)
                {
                    _plan.Checkpoint?.Invoke(_sequence.Snapshot() with { ShardHashes = [.. _identity.Hashes] });
                    Report(step);
                }
                break;
        }
        if (_sequence.Stage == FitStage.Done) Finish(null);
        else NextRound();
    }

    private void Report(IterationProgress step) => _plan.Progress?.Invoke(new FitProgress(step, _plan.Source.ShardCount, _workers.Count));

    private void OnGroupFailed(GroupFailed m)
    {
        if (!Current(m) || !_round!.IsOpen(m.Group)) return;
        if (m.InputError) Finish(InputErrors.Recreate(m.ErrorType, m.Message));
        // A failure of an attempt already given up on (timed out, sent elsewhere) is stale: the current one still runs.
        else if (m.Attempt == _round.Attempts(m.Group)) Retry(m.Group, m.Message, exclude: Sender);
    }

    private void OnWorkerLost(IActorRef worker)
    {
        if (!_workers.Remove(worker)) return;
        _assignment.Forget(worker);
        // After the end, workers stopping (their fit released, the coordinator leaving) is the normal way out.
        if (_finished) return;
        _log.Warning("worker {0} was lost; {1} remain", worker.Path, _workers.Count);
        if (!_started) return;
        if (_workers.Count == 0)
        {
            Finish(new FitFailedException("every worker was lost"));
            return;
        }
        var open = _round?.OpenGroupsOf(worker) ?? [];
        foreach (var g in _assignment.GroupsOf(worker).Except(open)) _assignment.Reassign(g, _workers);
        foreach (var g in open) Retry(g, $"worker {worker.Path.Name} was lost", exclude: null);
    }

    private void OnCheckDeadlines()
    {
        if (_finished || _round is not { } round) return;
        foreach (var g in round.Overdue(Stopwatch.GetTimestamp()))
            if (!_finished) Retry(g, $"no answer within {_plan.RequestTimeout}", exclude: _assignment.Owner(g));
    }

    /// <summary>Sends an open group to another worker, or ends the fit once the group has failed too often.</summary>
    private void Retry(int group, string reason, IActorRef? exclude)
    {
        var round = _round!;
        var attempt = round.Attempts(group) + 1;
        if (attempt >= _plan.MaxGroupAttempts)
        {
            var first = ShardReduction.FirstShard(group);
            var last = first + ShardReduction.ShardsIn(group, _plan.Source.ShardCount) - 1;
            Finish(new FitFailedException($"shards {first}–{last} failed {attempt} times; last: {reason}"));
            return;
        }
        _log.Warning("group {0}: {1}; attempt {2}", group, reason, attempt + 1);
        var others = _workers.Where(w => !w.Equals(exclude)).ToArray();
        var worker = _assignment.Reassign(group, others.Length > 0 ? others : _workers);
        Send(worker, [group], attempt);
    }

    /// <summary>Runs a step of the fit; an exception from Core (a degenerate component, bad settings) ends the fit with it.</summary>
    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            Finish(e);
        }
    }

    /// <summary>The result with the kernel path its E-steps ran on in its settings (a scored model has none).</summary>
    private FittedModel WithKernel(FittedModel result) =>
        result.Settings is { } s ? result with { Settings = s with { Kernel = _kernel } } : result;

    private void Finish(Exception? error)
    {
        if (_finished) return;
        _finished = true;
        _round = null;
        foreach (var w in _workers) w.Tell(new EndFit(_fitId));
        if (error is null) _plan.Completion.TrySetResult(WithKernel(_sequence.Result!));
        else _plan.Completion.TrySetException(error);
    }
}
