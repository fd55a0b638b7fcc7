using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// The steps of one fit, exactly as <see cref="InMemoryFitter.Fit"/> takes them, with the E-steps left to
/// whoever drives it: the initial sample, then for each restart the EM iterations, then one final E-step of the
/// best run. Plain C#, no actors: the coordinator feeds it the reduced results of each round.
/// </summary>
public sealed class FitSequence
{
    private readonly FitSettings _settings;
    private readonly IReadOnlyList<string> _columns;
    private readonly int _dimensions;
    private readonly string? _weightColumn;
    private RowBlock? _sample;
    private EmRun? _run;
    private EmRun? _best;
    private ConjugatePrior? _prior;
    private PreparedMixture? _momentsModel;
    private double[] _shift = [];
    private FitStage _afterMoments = FitStage.Iterate;

    /// <param name="weightColumn">The data's weight column, or null: the samples then carry weights, the model names it.</param>
    public FitSequence(FitSettings settings, IReadOnlyList<string> columns, int dimensions, string? weightColumn = null)
    {
        settings.Validate();
        if (columns.Count != dimensions) throw new ArgumentException($"{columns.Count} column names for {dimensions}-dimensional rows");
        _settings = settings;
        _columns = columns;
        _dimensions = dimensions;
        _weightColumn = weightColumn;
        // A given start model makes the initialisation sample unused (as in InMemoryFitter): no sample round.
        if (!NeedsSample) Begin();
    }

    private bool NeedsSample => _settings.InitModel is null;

    /// <summary>The first restart, after the moments pass when the fit is MAP (as in InMemoryFitter).</summary>
    private void Begin()
    {
        if (_settings.Prior is null || _prior is not null)
        {
            StartRestart(0);
            return;
        }
        _shift = ConjugatePrior.Shift(_sample ?? new RowBlock([], 0, _dimensions), _settings.InitModel);
        _momentsModel = ConjugatePrior.MomentsModel(_shift);
        Stage = FitStage.Moments;
    }

    /// <summary>
    /// Scoring: no fit, only the final E-step under <paramref name="model"/>, so that the result's log-likelihood
    /// and sample count are those of the data under the given model (what <c>score</c> reports).
    /// </summary>
    public static FitSequence Scoring(GaussianMixture model, IReadOnlyList<string> columns, int dimensions, string? weightColumn = null)
    {
        if (model.Dimensions != dimensions) throw new ArgumentException($"the model has {model.Dimensions} dimensions, the data {dimensions}");
        var settings = new FitSettings { Components = model.Components, CovarianceType = model.CovarianceType, InitModel = model, MaxIter = 1 };
        return new FitSequence(settings, columns, dimensions, weightColumn)
        {
            _best = new EmRun(PreparedMixture.Prepare(model), settings, 0),
            Stage = FitStage.Final,
        };
    }

    /// <summary>
    /// A fit continued from a checkpoint's <paramref name="state"/>: no initialisation; the run in progress goes on
    /// (after drawing the sample again when restarts remain to start), or, once every restart has finished, only the
    /// final E-step of the best run remains.
    /// </summary>
    public static FitSequence Resuming(FitSettings settings, IReadOnlyList<string> columns, int dimensions, FitState state, string? weightColumn = null)
    {
        EmRun? Run(RunState? s) => s is null
            ? null
            : EmRun.Resume(PreparedMixture.Prepare(s.Parameters, settings.RegCovar), settings, s.Restart, s.History, s.Converged, s.Squarem, s.Events);
        var sequence = new FitSequence(settings, columns, dimensions, weightColumn) { _run = Run(state.Current), _best = Run(state.Best) };
        if (sequence._run is { Finished: true } || (sequence._run ?? sequence._best)!.Current.Dimensions != dimensions)
            throw new ArgumentException("the checkpoint's state does not fit this data");
        // Restarts still to start need the initialisation sample (drawn from the data, so the same one): draw it first.
        // So does the prior of a MAP fit, whose moments pass is centred on the sample's mean.
        var stage = sequence._run is null ? FitStage.Final
            : sequence._run.Restart + 1 < settings.NInit && sequence.NeedsSample ? FitStage.Sample
            : FitStage.Iterate;
        if (settings.Prior is not null && sequence.NeedsSample) stage = FitStage.Sample;
        sequence.Stage = stage;
        if (settings.Prior is not null && stage != FitStage.Sample)
        {
            sequence.Begin();
            sequence._afterMoments = stage;
        }
        return sequence;
    }

    /// <summary>Where the fit stands between two E-steps (after an iteration): what a checkpoint records.</summary>
    public FitState Snapshot() => new(Stage == FitStage.Iterate ? _run!.ToState() : null, _best?.ToState());

    public FitStage Stage { get; private set; } = FitStage.Sample;

    /// <summary>The parameters the next E-step runs under (iterations and the final step).</summary>
    public PreparedMixture Parameters => Stage switch
    {
        FitStage.Moments => _momentsModel!,
        FitStage.Iterate => _run!.Current,
        FitStage.Final => _best!.Current,
        _ => throw new InvalidOperationException($"no parameters at stage {Stage}"),
    };

    public EmRun? Run => _run;
    public FittedModel? Result { get; private set; }

    /// <summary>Takes the per-group samples in group (= shard) order; the first restart starts.</summary>
    public void AcceptSample(IReadOnlyList<double[]> groupSamplesInOrder)
    {
        Expect(FitStage.Sample);
        var blocks = groupSamplesInOrder.Select(v => InitialSample.FromWire(v, _dimensions, _weightColumn is not null)).ToArray();
        _sample = InitialSample.Concatenate(blocks, _dimensions);
        if (_run is null && _best is null) Begin();
        else if (_settings.Prior is not null && _prior is null)
        {
            // Resumed MAP fit: the prior again from the same moments pass, then on where the checkpoint left off.
            _afterMoments = _run is null ? FitStage.Final : FitStage.Iterate;
            Begin();
        }
        else Stage = FitStage.Iterate; // resumed: the run goes on; the sample serves the restarts after it
    }

    /// <summary>Takes the per-group statistics in group order, folds them canonically, and advances.</summary>
    public IterationProgress? AcceptStatistics(IReadOnlyList<double[]> groupStatisticsInOrder, TimeSpan elapsed)
    {
        var p = Parameters;
        var stats = ShardReduction.Fold(groupStatisticsInOrder.Select(v =>
            SufficientStatistics.FromValues(p.CovarianceType, p.Components, p.Dimensions, v)));
        if (Stage == FitStage.Moments)
        {
            _prior = ConjugatePrior.FromMoments(_settings.Prior!, _settings.CovarianceType, _settings.Components, stats, _shift);
            if (_run is null && _best is null) StartRestart(0);
            else
            {
                if (_run is not null) _run.Prior = _prior;
                if (_best is not null) _best.Prior = _prior;
                Stage = _afterMoments;
            }
            return null;
        }
        if (Stage == FitStage.Final)
        {
            Result = _best!.ToModel(stats, _columns, _weightColumn);
            Stage = FitStage.Done;
            return null;
        }
        var run = _run!;
        var progress = run.Advance(stats, elapsed);
        if (run.Finished)
        {
            if (_best is null || run.LowerBound > _best.LowerBound) _best = run;
            if (run.Restart + 1 < _settings.NInit) StartRestart(run.Restart + 1);
            else Stage = FitStage.Final;
        }
        return progress;
    }

    private void StartRestart(int restart)
    {
        var sample = _sample ?? new RowBlock([], 0, _dimensions);
        _run = new EmRun(Initializer.Initialize(sample, _settings, restart), _settings, restart) { Prior = _prior };
        Stage = FitStage.Iterate;
    }

    private void Expect(FitStage stage)
    {
        if (Stage != stage) throw new InvalidOperationException($"expected stage {stage}, at {Stage}");
    }
}
