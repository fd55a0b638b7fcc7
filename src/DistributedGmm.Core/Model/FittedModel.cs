namespace DistributedGmm.Core.Model;

/// <summary>A mixture together with what the model file records of the fit that produced it.</summary>
public sealed record FittedModel
{
    public required GaussianMixture Mixture { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    /// <summary>The column whose values weighted the rows (Spark's weightCol), or null for an unweighted fit.</summary>
    public string? WeightColumn { get; init; }
    /// <summary>scikit-learn's n_samples: the rows fitted, or with a weight column Σ w_i (the n of BIC).</summary>
    public double Samples { get; init; }
    /// <summary>Rows the fit read, whatever their weights (not in the model file: 0 for a model read from one).</summary>
    public long Rows { get; init; }
    public int Iterations { get; init; }
    /// <summary>E-steps over the data the run took (plain EM: <see cref="Iterations"/>; the final scoring pass not counted).</summary>
    public int Passes { get => _passes ?? Iterations; init => _passes = value; }
    private readonly int? _passes;
    public bool Converged { get; init; }
    /// <summary>Total log-likelihood of the data under <see cref="Mixture"/>.</summary>
    public double LogLikelihood { get; init; }
    /// <summary>Mean log-likelihood per sample under <see cref="Mixture"/>.</summary>
    public double MeanLogLikelihood { get; init; }
    /// <summary>The mean log-likelihood per sample at each iteration, as scikit-learn's lower bound.</summary>
    public IReadOnlyList<double> LogLikelihoodHistory { get; init; } = [];
    /// <summary>Components that collapsed and were reseeded or dropped (<c>--on-degenerate</c>), in order.</summary>
    public IReadOnlyList<Estimation.DegenerateEvent> DegenerateEvents { get; init; } = [];
    /// <summary>The conjugate prior of a MAP fit (<c>--prior</c>), as resolved from the data; null for maximum likelihood.</summary>
    public ConjugatePrior? Prior { get; init; }
    public double Bic => Samples > 0 ? ModelSelection.Bic(LogLikelihood, Samples, Mixture.FreeParameters) : double.NaN;
    public double Aic => ModelSelection.Aic(LogLikelihood, Mixture.FreeParameters);
    /// <summary>The settings of the fit; null for a model that was not fitted (a generator's truth).</summary>
    public FitSettings? Settings { get; init; }
}
