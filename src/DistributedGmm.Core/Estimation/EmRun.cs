using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// One EM run from one start, driven from outside: whoever computes the statistics under <see cref="Current"/>
/// (one process or a cluster) hands them to <see cref="Advance"/>. Convergence exactly as scikit-learn: the
/// mean log-likelihood of the parameters the E-step used is the lower bound; stop when it changes by less
/// than tol, or after max_iter iterations.
/// </summary>
public sealed class EmRun
{
    private readonly FitSettings _settings;
    private readonly List<double> _history = [];
    private readonly List<DegenerateEvent> _events = [];

    public EmRun(PreparedMixture start, FitSettings settings, int restart)
    {
        Current = start;
        _settings = settings;
        Restart = restart;
    }

    /// <summary>
    /// A run continued from a checkpoint: the parameters after <paramref name="history"/>'s iterations, exactly as
    /// <see cref="ToState"/> recorded them. Advancing it gives what the uninterrupted run would have, bit for bit.
    /// </summary>
    public static EmRun Resume(PreparedMixture current, FitSettings settings, int restart, IEnumerable<double> history, bool converged,
        IEnumerable<DegenerateEvent>? events = null)
    {
        var run = new EmRun(current, settings, restart) { Converged = converged };
        run._history.AddRange(history);
        run._events.AddRange(events ?? []);
        if (run._history.Count > settings.MaxIter) throw new ArgumentException($"{run._history.Count} iterations exceed max-iter {settings.MaxIter}");
        return run;
    }

    /// <summary>The run's state after its last iteration, for a checkpoint (a copy: the run goes on).</summary>
    public RunState ToState() => new(Restart, Current.Mixture, _history.ToArray(), Converged) { Events = _events.ToArray() };

    public int Restart { get; }

    /// <summary>The conjugate prior of a MAP fit, set before the first iteration; null: maximum likelihood.</summary>
    public ConjugatePrior? Prior { get; set; }

    /// <summary>The parameters to broadcast for the next E-step; after the run, the fitted ones.</summary>
    public PreparedMixture Current { get; private set; }

    public int Iteration => _history.Count;
    public bool Converged { get; private set; }
    public bool Finished => Converged || Iteration >= _settings.MaxIter;
    public IReadOnlyList<double> History => _history;

    /// <summary>Components reseeded or dropped so far.</summary>
    public IReadOnlyList<DegenerateEvent> DegenerateEvents => _events;

    /// <summary>scikit-learn's lower_bound_: the last E-step's mean log-likelihood (what n_init compares).</summary>
    public double LowerBound => _history.Count == 0 ? double.NegativeInfinity : _history[^1];

    /// <summary>Takes the E-step statistics of <see cref="Current"/>, runs the M-step and checks convergence.</summary>
    public IterationProgress Advance(SufficientStatistics stats, TimeSpan elapsed)
    {
        if (Finished) throw new InvalidOperationException("the run has finished");
        var previous = LowerBound;
        // The data, not the fit, is at fault (it holds no sample at all): bad input, as an empty initialisation sample.
        if (!(stats.Samples > 0))
            throw new Initialization.InitializationException(stats.Rows > 0
                ? "every row has weight 0: the weights must not all be 0"
                : "no rows to fit: every row was skipped");
        var mean = stats.MeanLogLikelihood;
        if (!double.IsFinite(mean))
            throw new InvalidOperationException($"the log-likelihood is {mean} at iteration {Iteration + 1}: the data or the start is not usable (check for extreme values, or scale the data)");
        if (_settings.Prior is not null && Prior is null) throw new InvalidOperationException("a MAP fit's prior was not set");
        Current = DegenerateRecovery.Compute(stats, Current.Means, _settings.RegCovar, _settings.OnDegenerate, Iteration + 1, _events, Prior);
        _history.Add(mean);
        var change = mean - previous;
        if (Math.Abs(change) < _settings.Tol) Converged = true;
        return new IterationProgress(Restart, Iteration, mean, change, elapsed);
    }

    /// <summary>
    /// The model file's view of this run. <paramref name="finalStats"/> are the statistics of the fitted
    /// parameters (one more E-step), so that the recorded log-likelihood is the one <c>score</c> reports.
    /// </summary>
    public FittedModel ToModel(SufficientStatistics finalStats, IReadOnlyList<string> columns, string? weightColumn = null) => new()
    {
        Mixture = Current.Mixture,
        Columns = columns,
        WeightColumn = weightColumn,
        Samples = finalStats.Samples,
        Rows = (long)finalStats.Rows,
        Iterations = Iteration,
        Converged = Converged,
        LogLikelihood = finalStats.LogLikelihood,
        MeanLogLikelihood = finalStats.MeanLogLikelihood,
        LogLikelihoodHistory = _history.ToArray(),
        DegenerateEvents = _events.ToArray(),
        Prior = Prior,
        Settings = _settings,
    };
}
