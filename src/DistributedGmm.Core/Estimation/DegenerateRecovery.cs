using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// The M-step under <c>--on-degenerate reseed|drop</c>: the components that collapse are taken out of the
/// statistics one by one until the M-step of the others succeeds; then they stay out (drop), or the first of them
/// restarts at the row of lowest log-likelihood of the E-step (reseed): mean that row, covariance the average of the
/// others' weighted by their n_k, weight 1/K with the others' scaled by 1 − 1/K. Everything it uses comes from the
/// reduced statistics, so the result is the same for any number of workers. A reseed has one row to restart from
/// per iteration: a second component collapsing in the same iteration is dropped. Tied covariance has one shared
/// matrix, not a component to remove, so its collapse is always an error.
/// </summary>
public static class DegenerateRecovery
{
    public static PreparedMixture Compute(SufficientStatistics stats, ReadOnlySpan<double> shifts, double regCovar, DegeneratePolicy policy,
        int iteration, List<DegenerateEvent> events, ConjugatePrior? prior = null)
    {
        if (policy == DegeneratePolicy.Error || stats.CovarianceType == CovarianceType.Tied) return MStep.Compute(stats, shifts, regCovar, prior);
        var d = stats.Dimensions;
        var alive = Enumerable.Range(0, stats.Components).ToList();
        var removed = new List<int>();
        var current = stats;
        var currentShifts = shifts.ToArray();
        while (true)
        {
            try
            {
                var others = MStep.Compute(current, currentShifts, regCovar, prior);
                return policy == DegeneratePolicy.Reseed && removed.Count > 0 && double.IsFinite(stats.LowestLogLikelihood)
                    ? Reseed(others, current, removed, alive, stats.LowestRow, iteration, events, regCovar)
                    : Dropped(others, removed, iteration, events);
            }
            catch (DegenerateComponentException e) when (e.Component >= 0 && current.Components > 1)
            {
                removed.Add(alive[e.Component]);
                alive.RemoveAt(e.Component);
                current = current.Without(e.Component);
                currentShifts = [.. currentShifts.AsSpan(0, e.Component * d), .. currentShifts.AsSpan((e.Component + 1) * d)];
            }
        }
    }

    private static PreparedMixture Dropped(PreparedMixture others, List<int> removed, int iteration, List<DegenerateEvent> events)
    {
        foreach (var c in removed) events.Add(new DegenerateEvent(iteration, c, DegeneratePolicy.Drop));
        return others;
    }

    private static PreparedMixture Reseed(PreparedMixture others, SufficientStatistics otherStats, List<int> removed, List<int> alive,
        ReadOnlySpan<double> lowestRow, int iteration, List<DegenerateEvent> events, double regCovar)
    {
        var m = others.Mixture;
        var type = m.CovarianceType;
        int d = m.Dimensions, reseeded = removed[0], kept = alive.Count + 1;
        var order = alive.Append(reseeded).Order().ToArray();
        var weights = new double[kept];
        var means = new double[kept * d];
        var width = type.CovarianceLength(1, d);
        var covariances = new double[kept * width];
        var pooled = new double[width];
        double mass = 0;
        for (var j = 0; j < alive.Count; j++) mass += otherStats.Weights[j];
        for (var j = 0; j < alive.Count; j++)
        {
            var share = mass > 0 ? otherStats.Weights[j] / mass : 1.0 / alive.Count;
            for (var i = 0; i < width; i++) pooled[i] += share * m.Covariances[j * width + i];
        }
        for (var slot = 0; slot < kept; slot++)
        {
            var original = order[slot];
            if (original == reseeded)
            {
                weights[slot] = 1.0 / kept;
                lowestRow.CopyTo(means.AsSpan(slot * d, d));
                pooled.CopyTo(covariances, slot * width);
                continue;
            }
            var j = alive.IndexOf(original);
            weights[slot] = m.Weights[j] * (1 - 1.0 / kept);
            m.Means.AsSpan(j * d, d).CopyTo(means.AsSpan(slot * d, d));
            m.Covariances.AsSpan(j * width, width).CopyTo(covariances.AsSpan(slot * width, width));
        }
        events.Add(new DegenerateEvent(iteration, reseeded, DegeneratePolicy.Reseed));
        foreach (var c in removed.Skip(1)) events.Add(new DegenerateEvent(iteration, c, DegeneratePolicy.Drop));
        return PreparedMixture.Prepare(new GaussianMixture(type, kept, d, weights, means, covariances), regCovar);
    }
}
