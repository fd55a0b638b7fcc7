namespace DistributedGmm.Core.Estimation;

/// <summary>Which point of a SQUAREM cycle the next data pass evaluates (see <see cref="Squarem"/>).</summary>
public enum SquaremPhase
{
    /// <summary>The start p₀: its pass gives p₁ = F(p₀).</summary>
    Start,
    /// <summary>p₁ = F(p): its pass gives p₂ = F(p₁), then the step length and the extrapolated point.</summary>
    First,
    /// <summary>The extrapolated point p′: its pass gives the stabilised point F(p′).</summary>
    Extrapolated,
    /// <summary>The cycle's new point: its log-likelihood is checked against the cycle's start; its image begins the next cycle.</summary>
    Check,
    /// <summary>p₂, after the extrapolation failed or decreased the log-likelihood too much: accepted without a check.</summary>
    Fallback,
    /// <summary>Converged: one plain EM step from the current point changed the mean log-likelihood by less than tol.</summary>
    Done,
}
