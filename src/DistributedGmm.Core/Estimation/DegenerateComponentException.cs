namespace DistributedGmm.Core.Estimation;

/// <summary>
/// A component whose covariance is not positive definite even after <c>reg_covar</c>: the fit cannot go on
/// without producing NaN, so it stops with a message that names the component and the fixes. With tied
/// covariance the one shared matrix is at fault, and the message says so (<see cref="Component"/> is then −1).
/// </summary>
public sealed class DegenerateComponentException : Exception
{
    private const string Fixes = ". Try fewer components, a larger --reg-covar, or scaling the data.";

    public DegenerateComponentException(int component, double samples, double regCovar)
        : this(component, samples,
            $"component {component} collapsed: its covariance is not positive definite even after reg_covar = {regCovar:G3}" +
            (double.IsNaN(samples) ? "" : $" (it holds {samples:G4} samples' weight)") + Fixes) { }

    private DegenerateComponentException(int component, double samples, string message) : base(message)
    {
        Component = component;
        Samples = samples;
    }

    /// <summary>The shared covariance of a tied mixture is not positive definite even after reg_covar.</summary>
    public static DegenerateComponentException SharedCovariance(double regCovar) =>
        new(-1, double.NaN, $"the shared (tied) covariance is not positive definite even after reg_covar = {regCovar:G3}" + Fixes);

    public int Component { get; }
    public double Samples { get; }
}
