namespace DistributedGmm.Core.Model;

/// <summary>The covariance structures of scikit-learn's GaussianMixture, with its names and shapes.</summary>
public enum CovarianceType
{
    /// <summary>Each component has its own general covariance matrix: shape [K][d][d].</summary>
    Full,
    /// <summary>Each component has its own diagonal covariance matrix: shape [K][d].</summary>
    Diag,
    /// <summary>Each component has its own single variance: shape [K].</summary>
    Spherical,
    /// <summary>All components share one general covariance matrix: shape [d][d].</summary>
    Tied,
}

public static class CovarianceTypeNames
{
    public static string ToName(this CovarianceType type) => type switch
    {
        CovarianceType.Full => "full",
        CovarianceType.Diag => "diag",
        CovarianceType.Spherical => "spherical",
        CovarianceType.Tied => "tied",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? name, out CovarianceType type)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "full": type = CovarianceType.Full; return true;
            case "diag": type = CovarianceType.Diag; return true;
            case "spherical": type = CovarianceType.Spherical; return true;
            case "tied": type = CovarianceType.Tied; return true;
            default: type = default; return false;
        }
    }

    public static CovarianceType Parse(string name) =>
        TryParse(name, out var type)
            ? type
            : throw new ArgumentException($"unknown covariance type '{name}': expected full, diag, spherical or tied");

    /// <summary>Number of doubles that hold the covariances of K components in d dimensions.</summary>
    public static int CovarianceLength(this CovarianceType type, int components, int dimensions) => type switch
    {
        CovarianceType.Full => components * dimensions * dimensions,
        CovarianceType.Diag => components * dimensions,
        CovarianceType.Spherical => components,
        CovarianceType.Tied => dimensions * dimensions,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
