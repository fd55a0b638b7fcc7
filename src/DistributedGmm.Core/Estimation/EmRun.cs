using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// One EM run from one start, driven from outside: whoever computes the statistics under <see cref="Current"/>
/// (one process or a cluster) hands them to <see cref="Advance"/>. Convergence exactly as scikit-learn: the
/// mean log-likelihood of the parameters the E-step used is the lower bound; stop when it changes by less
/// than tol, or after max_iter iterations. With <see cref="Acceleration.Squarem"/> a <see cref="Squarem"/> chooses
/// the point each pass evaluates, and max_iter bounds the passes (the package's fpevals).
/// </summary>
public sealed class EmRun
{
    private readonly FitSettings _settings;
    private readonly List<double> _history = [];
    private readonly List<DegenerateEvent> _events = [];
    private readonly Squarem? _squarem;
    private PreparedMixture _next;

    public EmRun(PreparedMixture start, FitSettings settings, int restart)
    {
        _next = start;
        _settings = settings;
        Restart = restart;
        if (settings.Acceleration == Acceleration.Squarem) _squarem = new Squarem(settings.RegCovar, settings.Tol);
    }

    /// <summary>
    /// A run continued from a checkpoint: the parameters after <paramref name="history"/>'s passes, exactly as
    /// <see cref="ToState"/> recorded them. Advancing it gives what the uninterrupted run would have, bit for bit.
    /// </summary>
    public static EmRun Resume(PreparedMixture current, FitSettings settings, int restart, IEnumerable<double> history, bool converged,
        SquaremState? squarem = null, IEnumerable<DegenerateEvent>? events = null)
    {
        if ((squarem is null) != (settings.Acceleration != Acceleration.Squarem))
            throw new ArgumentException(squarem is null ? "the run has no SQUAREM state, but the fit asks for it" : "the run has a SQUAREM state, but the fit is plain EM");
        var run = squarem is null
            ? new EmRun(current, settings, restart)
            : new EmRun(current, settings, restart, Squarem.Resume(squarem, settings.RegCovar, settings.Tol));
        run.Converged = converged;
        run._history.AddRange(history);
        run._events.AddRange(events ?? []);
        if (run._history.Count > settings.MaxIter) throw new ArgumentException($"{run._history.Count} passes exceed max-iter {settings.MaxIter}");
        return run;
    }

    private EmRun(PreparedMixture next, FitSettings settings, int restart, Squarem squarem)
    {
        _next = next;
        _settings = settings;
        Restart = restart;
        _squarem = squarem;
    }

    /// <summary>The run's state after its last pass, for a checkpoint (a copy: the run goes on).</summary>
    public RunState ToState() => new(Restart, Current.Mixture, _history.ToArray(), Converged) { Squarem = _squarem?.ToState(), Events = _events.ToArray() };

    public int Restart { get; }

    /// <summary>The conjugate prior of a MAP fit, set before the first iteration; null: maximum likelihood.</summary>
    public ConjugatePrior? Prior { get; set; }

    /// <summary>The parameters to broadcast for the next E-step; after the run, the fitted ones.</summary>
    public PreparedMixture Current => Finished && _squarem?.Fitted is { } fitted ? fitted : _next;

    /// <summary>EM iterations: the passes of plain EM, SQUAREM's cycles.</summary>
    public int Iteration => _squarem?.Cycles ?? _history.Count;

    /// <summary>E-steps over the data so far.</summary>
    public int Passes => _history.Count;

    public bool Converged { get; private set; }
    public bool Finished => Converged || Passes >= _settings.MaxIter;

    /// <summary>The lower bound after each pass (for plain EM, the mean log-likelihood of that pass's parameters).</summary>
    public IReadOnlyList<double> History => _history;

    /// <summary>Components reseeded or dropped so far.</summary>
    public IReadOnlyList<DegenerateEvent> DegenerateEvents => _events;

    /// <summary>scikit-learn's lower_bound_: the mean log-likelihood of the point whose M-step gave <see cref="Current"/>.</summary>
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
        double bound;
        if (_squarem is null)
        {
            bound = stats.MeanLogLikelihood;
            RequireFinite(bound, Passes + 1);
            _next = PlainStep(stats);
            if (Math.Abs(bound - previous) < _settings.Tol) Converged = true;
        }
        else
        {
            _next = _squarem.Advance(_next, stats, Passes + 1);
            bound = _squarem.LowerBound;
            Converged = _squarem.Phase == SquaremPhase.Done;
        }
        _history.Add(bound);
        return new IterationProgress(Restart, Iteration, bound, bound - previous, elapsed) { Pass = Passes };
    }

    /// <summary>An E-step of an EM iterate gave no finite log-likelihood: nothing sensible can follow.</summary>
    internal static void RequireFinite(double mean, int pass)
    {
        if (!double.IsFinite(mean))
            throw new InvalidOperationException($"the log-likelihood is {mean} at iteration {pass}: the data or the start is not usable (check for extreme values, or scale the data)");
    }

    /// <summary>The M-step of plain EM, with the degenerate-component policy and, for a MAP fit, the prior.</summary>
    private PreparedMixture PlainStep(SufficientStatistics stats)
    {
        if (_settings.Prior is not null && Prior is null) throw new InvalidOperationException("a MAP fit's prior was not set");
        return DegenerateRecovery.Compute(stats, _next.Means, _settings.RegCovar, _settings.OnDegenerate, Passes + 1, _events, Prior);
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
        Passes = Passes,
        Converged = Converged,
        LogLikelihood = finalStats.LogLikelihood,
        MeanLogLikelihood = finalStats.MeanLogLikelihood,
        LogLikelihoodHistory = _history.ToArray(),
        DegenerateEvents = _events.ToArray(),
        Prior = Prior,
        Settings = _settings,
    };
}
