using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// SQUAREM (Varadhan and Roland 2008, scheme S3) on EM's fixed-point map F, one data pass at a time, following the
/// R package's <c>squarem1</c> with its defaults: step length α = √(‖q₁‖² / ‖q₂ − q₁‖²) clamped to
/// [step.min0 = 1, step.max], step.max starting at step.max0 = 1, multiplied by mstep = 4 whenever α reaches it and
/// divided by 4 (not below step.max0) when that step fails; a stabilising EM step after any α further than 0.01 from
/// 1; and the monotonicity back-off: a new point whose total log-likelihood is more than objfn.inc = 1 below the
/// cycle's start is replaced by p₂. Extrapolation is in <see cref="MixtureCoordinates"/>, so every point is a mixture.
/// </summary>
/// <remarks>
/// A pass at x gives both the log-likelihood of x and F(x), so the package's separate objective evaluations cost
/// nothing: the pass that checks a cycle's new point also computes the next cycle's p₁. An extrapolated or
/// stabilised point that cannot be evaluated (an overflow, a non-finite log-likelihood, a degenerate M-step) is a
/// failed step, as the package's <c>try-error</c>. Convergence is EM's own test applied to both kinds of step: the
/// run stops when one plain step from the current point, p → p₁, and the last accelerated step, the previous cycle's
/// start → p, each changed the mean log-likelihood by less than tol (the plain step alone stops on the plateaus
/// where extrapolation still moves fast). The result is then p₂ = F(p₁), an M-step's output as in plain EM.
/// </remarks>
public sealed class Squarem
{
    public const double StepMin = 1;
    public const double StepMax0 = 1;
    public const double StepFactor = 4;
    public const double ObjectiveIncrease = 1;
    private const double StabiliseBeyond = 0.01;
    /// <summary>The gain before any cycle has finished: larger than any tol (finite, so that a checkpoint can hold it).</summary>
    private const double NoCycleYet = double.MaxValue;

    private readonly double _regCovar;
    private readonly double _tol;
    private PreparedMixture? _base;
    private double _baseLogLikelihood;
    private double _baseMean;
    private double _cycleGain = NoCycleYet;
    private PreparedMixture? _first;
    private double _firstMean;
    private PreparedMixture? _second;
    private double _stepLength = 1;

    public Squarem(double regCovar, double tol)
    {
        _regCovar = regCovar;
        _tol = tol;
    }

    public SquaremPhase Phase { get; private set; } = SquaremPhase.Start;
    public int Cycles { get; private set; }
    public double StepMax { get; private set; } = StepMax0;

    /// <summary>What the run returns if it stops now: the image of the last accepted point, an M-step's output.</summary>
    public PreparedMixture? Fitted => Phase == SquaremPhase.First ? _first : _second;

    /// <summary>The mean log-likelihood of the point <see cref="Fitted"/> is the image of (the run's lower bound).</summary>
    public double LowerBound => Phase switch
    {
        SquaremPhase.Start => double.NegativeInfinity,
        SquaremPhase.First => _baseMean,
        _ => _firstMean,
    };

    public static Squarem Resume(SquaremState s, double regCovar, double tol)
    {
        PreparedMixture? Prepare(GaussianMixture? m) => m is null ? null : PreparedMixture.Prepare(m, regCovar);
        return new Squarem(regCovar, tol)
        {
            Phase = s.Phase,
            Cycles = s.Cycles,
            StepMax = s.StepMax,
            _stepLength = s.StepLength,
            _base = Prepare(s.Base),
            _baseLogLikelihood = s.BaseLogLikelihood,
            _baseMean = s.BaseMeanLogLikelihood,
            _cycleGain = s.CycleGain,
            _first = Prepare(s.First),
            _firstMean = s.FirstMeanLogLikelihood,
            _second = Prepare(s.Second),
        };
    }

    public SquaremState ToState() => new(Phase, Cycles, _stepLength, StepMax, _base?.Mixture, _baseLogLikelihood, _baseMean, _cycleGain,
        _first?.Mixture, _firstMean, _second?.Mixture);

    /// <summary>
    /// Takes the statistics of a pass under <paramref name="evaluated"/> (the point the previous call returned, or the
    /// start) and returns the point the next pass evaluates. Throws as plain EM does when an EM iterate itself fails.
    /// </summary>
    public PreparedMixture Advance(PreparedMixture evaluated, SufficientStatistics stats, int pass)
    {
        var total = stats.LogLikelihood;
        var mean = stats.MeanLogLikelihood;
        switch (Phase)
        {
            case SquaremPhase.Start:
                EmRun.RequireFinite(mean, pass);
                return Accept(evaluated, total, mean, MStep.Compute(stats, evaluated.Means, _regCovar));
            case SquaremPhase.First:
                EmRun.RequireFinite(mean, pass);
                _firstMean = mean;
                _second = MStep.Compute(stats, evaluated.Means, _regCovar);
                if (Math.Abs(mean - _baseMean) < _tol && Math.Abs(_cycleGain) < _tol)
                {
                    Phase = SquaremPhase.Done;
                    return _second;
                }
                return Extrapolate();
            case SquaremPhase.Extrapolated:
                if (!double.IsFinite(mean) || TryMStep(stats, evaluated) is not { } stabilised) return Reject();
                Phase = SquaremPhase.Check;
                return stabilised;
            case SquaremPhase.Check:
                // The package minimises the objective; ours is the log-likelihood, so "increase" is a decrease here.
                if (!double.IsFinite(total) || total < _baseLogLikelihood - ObjectiveIncrease
                    || TryMStep(stats, evaluated) is not { } image) return Reject();
                return Accept(evaluated, total, mean, image);
            case SquaremPhase.Fallback:
                EmRun.RequireFinite(mean, pass);
                return Accept(evaluated, total, mean, MStep.Compute(stats, evaluated.Means, _regCovar));
            default:
                throw new InvalidOperationException("the run has converged");
        }
    }

    /// <summary>p₁ and p₂ are known: the step length, and the point it leads to.</summary>
    private PreparedMixture Extrapolate()
    {
        var p = MixtureCoordinates.ToVector(_base!.Mixture);
        var p1 = MixtureCoordinates.ToVector(_first!.Mixture);
        var p2 = MixtureCoordinates.ToVector(_second!.Mixture);
        double sr2 = 0, sv2 = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var q1 = p1[i] - p[i];
            var v = p2[i] - p1[i] - q1;
            sr2 += q1 * q1;
            sv2 += v * v;
        }
        var alpha = Math.Sqrt(sr2 / sv2);
        _stepLength = double.IsNaN(alpha) ? StepMin : Math.Max(StepMin, Math.Min(StepMax, alpha));
        if (_stepLength == 1)
        {
            // p + 2q₁ + (q₂ − q₁) is p₂ itself: evaluate the M-step's own output rather than its round trip.
            Phase = SquaremPhase.Check;
            return _second!;
        }
        var a = _stepLength;
        var x = new double[p.Length];
        for (var i = 0; i < p.Length; i++)
        {
            var q1 = p1[i] - p[i];
            x[i] = p[i] + 2 * a * q1 + a * a * (p2[i] - p1[i] - q1);
        }
        var m = _base.Mixture;
        if (MixtureCoordinates.FromVector(m.CovarianceType, m.Components, m.Dimensions, x) is not { } mixture) return Reject();
        PreparedMixture extrapolated;
        try
        {
            extrapolated = PreparedMixture.Prepare(mixture, _regCovar);
        }
        catch (DegenerateComponentException)
        {
            return Reject();
        }
        Phase = Math.Abs(a - 1) > StabiliseBeyond ? SquaremPhase.Extrapolated : SquaremPhase.Check;
        return extrapolated;
    }

    private PreparedMixture? TryMStep(SufficientStatistics stats, PreparedMixture evaluated)
    {
        try
        {
            return MStep.Compute(stats, evaluated.Means, _regCovar);
        }
        catch (DegenerateComponentException)
        {
            return null;
        }
    }

    /// <summary>The step failed: back to p₂ with α = 1, and a smaller step.max if α had reached it.</summary>
    private PreparedMixture Reject()
    {
        if (_stepLength == StepMax) StepMax = Math.Max(StepMax0, StepMax / StepFactor);
        _stepLength = 1;
        Phase = SquaremPhase.Fallback;
        return _second!;
    }

    /// <summary>The cycle's new point is <paramref name="point"/>; its image starts the next cycle.</summary>
    private PreparedMixture Accept(PreparedMixture point, double total, double mean, PreparedMixture image)
    {
        if (Phase != SquaremPhase.Start)
        {
            if (_stepLength == StepMax) StepMax *= StepFactor;
            _cycleGain = mean - _baseMean;
        }
        _base = point;
        _baseLogLikelihood = total;
        _baseMean = mean;
        _first = image;
        _second = null;
        Cycles++;
        Phase = SquaremPhase.First;
        return image;
    }
}
