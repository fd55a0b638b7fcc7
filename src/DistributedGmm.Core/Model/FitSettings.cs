using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Core.Model;

/// <summary>Everything that decides a fit's result. Defaults follow scikit-learn's GaussianMixture.</summary>
public sealed record FitSettings
{
    public required int Components { get; init; }
    public CovarianceType CovarianceType { get; init; } = CovarianceType.Full;
    public double Tol { get; init; } = 1e-3;
    public double RegCovar { get; init; } = 1e-6;
    public int MaxIter { get; init; } = 100;
    public InitMethod Init { get; init; } = InitMethod.KMeans;
    public int NInit { get; init; } = 1;
    public int Seed { get; init; }

    /// <summary>Plain EM (the default, scikit-learn's iterations) or SQUAREM-extrapolated EM.</summary>
    public Acceleration Acceleration { get; init; } = Acceleration.None;

    /// <summary>A starting model (scikit-learn's weights_init/means_init/precisions_init); overrides <see cref="Init"/>.</summary>
    public GaussianMixture? InitModel { get; init; }

    /// <summary>Rows drawn from the data for initialisation (k-means and friends run on this sample).</summary>
    public int InitSampleRows { get; init; } = 200_000;

    /// <summary>Lloyd iterations of the kmeans initialisation (scikit-learn's KMeans default max_iter).</summary>
    public int KMeansMaxIter { get; init; } = 300;

    /// <summary>
    /// The E-step's kernel path (it decides the exact bits): null asks for the best one every worker runs; a fitted
    /// model carries the path its fit ran on.
    /// </summary>
    public KernelPath? Kernel { get; init; }

    /// <summary>What a collapsed component does to the fit (<c>--on-degenerate</c>): stop it (default), reseed or drop.</summary>
    public Estimation.DegeneratePolicy OnDegenerate { get; init; } = Estimation.DegeneratePolicy.Error;

    /// <summary>MAP EM under mclust's default conjugate prior (<c>--prior</c>); null: maximum likelihood.</summary>
    public PriorSettings? Prior { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> with a message fit for a user when a value is out of range.</summary>
    public void Validate()
    {
        if (Components < 1) throw new ArgumentException($"components must be at least 1, got {Components}");
        if (!(Tol >= 0) || double.IsInfinity(Tol)) throw new ArgumentException($"tol must be a finite number ≥ 0, got {Tol}");
        if (!(RegCovar >= 0) || double.IsInfinity(RegCovar)) throw new ArgumentException($"reg-covar must be a finite number ≥ 0, got {RegCovar}");
        if (MaxIter < 1) throw new ArgumentException($"max-iter must be at least 1, got {MaxIter}");
        if (NInit < 1) throw new ArgumentException($"n-init must be at least 1, got {NInit}");
        // Reseeding or dropping a component moves the run to a point (or a space) no extrapolation came from.
        if (Acceleration == Acceleration.Squarem && OnDegenerate != Estimation.DegeneratePolicy.Error)
            throw new ArgumentException($"accelerate squarem needs on-degenerate error, got {Estimation.DegeneratePolicyNames.ToName(OnDegenerate)}");
        // SQUAREM extrapolates the likelihood's EM map; a MAP fit's map (the prior's M-step) is another one.
        if (Acceleration == Acceleration.Squarem && Prior is not null)
            throw new ArgumentException("accelerate squarem and a prior cannot be combined: SQUAREM accelerates maximum-likelihood EM only");
        if (InitSampleRows < Components)
            throw new ArgumentException($"init sample rows must be at least the number of components ({Components}), got {InitSampleRows}");
        Prior?.Validate(1);
        if (InitModel is { } m)
        {
            if (m.Components != Components)
                throw new ArgumentException($"the initial model has {m.Components} components, but {Components} were asked for");
            if (m.CovarianceType != CovarianceType)
                throw new ArgumentException($"the initial model's covariance type is {m.CovarianceType.ToName()}, but {CovarianceType.ToName()} was asked for");
            // As scikit-learn's _check_weights: in [0, 1] and summing to 1; a NaN would only surface as a NaN likelihood.
            double sum = 0;
            for (var c = 0; c < m.Components; c++)
            {
                if (!(m.Weights[c] >= 0 && m.Weights[c] <= 1))
                    throw new ArgumentException($"the initial model's weights[{c}] is {m.Weights[c]}: weights must lie in [0, 1]");
                sum += m.Weights[c];
            }
            if (Math.Abs(sum - 1) > 1e-8)
                throw new ArgumentException($"the initial model's weights sum to {sum:R}, expected 1");
            foreach (var v in m.Means)
                if (!double.IsFinite(v)) throw new ArgumentException("the initial model's means hold a value that is not a finite number");
        }
    }
}
