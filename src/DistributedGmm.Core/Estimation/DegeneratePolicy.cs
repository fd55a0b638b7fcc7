namespace DistributedGmm.Core.Estimation;

/// <summary>What the M-step does with a component whose covariance is not positive definite even after reg_covar.</summary>
public enum DegeneratePolicy
{
    /// <summary>Stop the fit with <see cref="DegenerateComponentException"/> (scikit-learn's behaviour).</summary>
    Error,
    /// <summary>Restart the component at the row of lowest log-likelihood and go on with K components.</summary>
    Reseed,
    /// <summary>Remove the component and go on with K − 1.</summary>
    Drop,
}

public static class DegeneratePolicyNames
{
    public static string ToName(this DegeneratePolicy policy) => policy.ToString().ToLowerInvariant();

    public static bool TryParse(string? name, out DegeneratePolicy policy)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "error": policy = DegeneratePolicy.Error; return true;
            case "reseed": policy = DegeneratePolicy.Reseed; return true;
            case "drop": policy = DegeneratePolicy.Drop; return true;
            default: policy = default; return false;
        }
    }
}
