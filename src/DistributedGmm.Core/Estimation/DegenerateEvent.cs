namespace DistributedGmm.Core.Estimation;

/// <summary>
/// A component that collapsed at the M-step of <paramref name="Iteration"/> (counted from 1) and what was done:
/// <paramref name="Component"/> is its index in the parameters that iteration's E-step ran under.
/// </summary>
public sealed record DegenerateEvent(int Iteration, int Component, DegeneratePolicy Action);
