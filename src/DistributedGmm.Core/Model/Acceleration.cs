namespace DistributedGmm.Core.Model;

/// <summary>How the EM iterations are driven: plain fixed-point steps, or steps extrapolated between them.</summary>
public enum Acceleration
{
    /// <summary>Plain EM: each data pass is one iteration (scikit-learn's algorithm).</summary>
    None,
    /// <summary>
    /// SQUAREM, scheme S3 (Varadhan and Roland 2008) with the R package's step-length and monotonicity safeguards,
    /// on EM's map in unconstrained coordinates (<see cref="Estimation.MixtureCoordinates"/>).
    /// </summary>
    Squarem,
}

public static class AccelerationNames
{
    public static string ToName(this Acceleration acceleration) => acceleration switch
    {
        Acceleration.None => "none",
        Acceleration.Squarem => "squarem",
        _ => throw new ArgumentOutOfRangeException(nameof(acceleration)),
    };

    public static bool TryParse(string? name, out Acceleration acceleration)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "none": acceleration = Acceleration.None; return true;
            case "squarem": acceleration = Acceleration.Squarem; return true;
            default: acceleration = default; return false;
        }
    }
}
