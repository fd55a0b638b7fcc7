namespace DistributedGmm.Core;

/// <summary>
/// A component whose covariance is not positive definite even after <c>reg_covar</c>: the fit cannot go on
/// without producing NaN, so it stops with a message that names the component and the fixes.
/// </summary>
public sealed class DegenerateComponentException : Exception
{
    public DegenerateComponentException(int component, double samples, double regCovar)
        : base($"component {component} collapsed: its covariance is not positive definite even after reg_covar = {regCovar:G3}" +
               (double.IsNaN(samples) ? "" : $" (it holds {samples:G4} samples' weight)") +
               ". Try fewer components, a larger --reg-covar, or scaling the data.")
    {
        Component = component;
        Samples = samples;
    }

    public int Component { get; }
    public double Samples { get; }
}
