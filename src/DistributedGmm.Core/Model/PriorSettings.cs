namespace DistributedGmm.Core.Model;

/// <summary>
/// <c>--prior</c>: MAP EM under mclust's default conjugate prior (<c>priorControl()</c>, Fraley &amp; Raftery 2007).
/// Null <see cref="Dof"/> and <see cref="Scale"/> take mclust's defaults (d + 2; the data's covariance over K^(2/d));
/// the prior mean is always the data's mean. See <see cref="ConjugatePrior"/> for what they become.
/// </summary>
public sealed record PriorSettings
{
    /// <summary>mclust's default shrinkage κ_P of the means towards the data's mean.</summary>
    public const double DefaultShrinkage = 0.01;

    public double Shrinkage { get; init; } = DefaultShrinkage;

    /// <summary>Degrees of freedom ν_P; null: d + 2.</summary>
    public double? Dof { get; init; }

    /// <summary>
    /// The scale as one number: Λ_P = Scale·I (full, tied) or s_P = Scale (diag, spherical); null: mclust's default
    /// from the data's covariance.
    /// </summary>
    public double? Scale { get; init; }

    public void Validate(int dimensions)
    {
        if (!(Shrinkage >= 0) || double.IsInfinity(Shrinkage)) throw new ArgumentException($"prior-shrinkage must be a finite number ≥ 0, got {Shrinkage}");
        if (Dof is { } dof && !(dof > dimensions - 1 && double.IsFinite(dof)))
            throw new ArgumentException($"prior-dof must be a finite number above d − 1 = {dimensions - 1}, got {dof}");
        if (Scale is { } scale && !(scale > 0 && double.IsFinite(scale))) throw new ArgumentException($"prior-scale must be a finite number > 0, got {scale}");
    }
}
