using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// SQUAREM-accelerated EM against a plain transcription of the R package's <c>squarem1</c> loop (separate map and
/// objective evaluations, as the package makes them), and its invariants: every point in the unconstrained
/// coordinates is a mixture, a run resumed from any pass's checkpoint file ends in the same bits, and on overlapping
/// components it reaches plain EM's log-likelihood in fewer passes.
/// </summary>
public class SquaremTests
{
    /// <summary>Overlapping components (centres 1.2 apart, unit spread): plain EM needs many passes here.</summary>
    private static readonly RowBlock[] Overlapping = TestData.Shards(TestData.Blobs(3000, [[0, 0], [1.2, 0], [0, 1.2]], 1.0, seed: 5), 700);

    private static FitSettings Settings(CovarianceType type, Acceleration acceleration = Acceleration.Squarem) => new()
    {
        Components = 3, CovarianceType = type, Tol = 1e-7, MaxIter = 5000, Init = InitMethod.RandomFromData, Seed = 2, Acceleration = acceleration,
    };

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void The_coordinates_round_trip_a_mixture(CovarianceType type)
    {
        var m = TestData.StartModel(type, TestData.Perturbed(TestData.Centres3));
        var back = MixtureCoordinates.FromVector(type, m.Components, m.Dimensions, MixtureCoordinates.ToVector(m))!;
        Close.All(m.Weights, back.Weights, 1e-14, "weights");
        Close.All(m.Means, back.Means, 0, "means");
        Close.All(m.Covariances, back.Covariances, 1e-13, "covariances");
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Any_point_in_the_coordinates_is_a_mixture(CovarianceType type)
    {
        var random = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var x = new double[MixtureCoordinates.Length(type, 4, 3)];
            for (var i = 0; i < x.Length; i++) x[i] = 6 * (random.NextDouble() - 0.5);
            var m = MixtureCoordinates.FromVector(type, 4, 3, x)!;
            Assert.True(Math.Abs(m.Weights.Sum() - 1) < 1e-12 && m.Weights.All(w => w > 0), "weights on the simplex");
            PreparedMixture.Prepare(m); // throws unless every covariance is positive definite
        }
        Assert.Null(MixtureCoordinates.FromVector(type, 4, 3, Enumerable.Repeat(1e6, MixtureCoordinates.Length(type, 4, 3)).ToArray()));
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void The_fused_passes_follow_the_packages_loop_bit_for_bit(CovarianceType type)
    {
        var settings = Settings(type);
        var fitted = InMemoryFitter.Fit(Overlapping, ["a", "b"], settings);
        var (expected, cycles, distinctPoints) = PackageLoop(Start(settings), settings);
        Assert.True(fitted.Converged);
        Close.Bitwise(expected.Weights, fitted.Mixture.Weights, "weights");
        Close.Bitwise(expected.Means, fitted.Mixture.Means, "means");
        Close.Bitwise(expected.Covariances, fitted.Mixture.Covariances, "covariances");
        Assert.Equal(cycles, fitted.Iterations);
        // One pass a distinct point: the objective at a point and the map at it share its pass.
        Assert.Equal(distinctPoints, fitted.Passes);
        Assert.True(fitted.Passes > 2 * fitted.Iterations, "extrapolated cycles take three passes");
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void On_overlapping_components_it_reaches_plain_EMs_log_likelihood_in_under_half_the_passes(CovarianceType type)
    {
        var plain = InMemoryFitter.Fit(Overlapping, ["a", "b"], Settings(type, Acceleration.None));
        var fast = InMemoryFitter.Fit(Overlapping, ["a", "b"], Settings(type));
        Assert.True(plain.Converged && fast.Converged);
        Assert.True(fast.MeanLogLikelihood >= plain.MeanLogLikelihood - 1e-9, $"squarem {fast.MeanLogLikelihood:R}, plain {plain.MeanLogLikelihood:R}");
        // Plain EM may stop on a plateau that SQUAREM crosses to a better optimum (then it takes more passes in all):
        // compare the passes each needed to reach plain EM's final lower bound.
        var reached = fast.LogLikelihoodHistory.Select((v, i) => (v, i)).First(p => p.v >= plain.LogLikelihoodHistory[^1]).i + 1;
        Assert.True(2 * reached <= plain.Passes, $"squarem reached plain EM's {plain.LogLikelihoodHistory[^1]:R} after {reached} passes, plain EM took {plain.Passes}");
        Assert.Equal(plain.Passes, plain.Iterations);
        Assert.Equal(fast.Passes, fast.LogLikelihoodHistory.Count);
    }

    [Fact]
    public void A_run_resumed_from_any_passs_checkpoint_file_ends_in_the_same_bits()
    {
        var settings = Settings(CovarianceType.Full) with { MaxIter = 40, Tol = 0 };
        var start = Initializer.Initialize(Overlapping[0], settings, 0);
        var original = new EmRun(start, settings, 0);
        var states = new List<RunState>();
        while (!original.Finished)
        {
            original.Advance(InMemoryFitter.Statistics(original.Current, Overlapping), TimeSpan.Zero);
            states.Add(original.ToState());
        }
        var phases = states.Select(s => s.Squarem!.Phase).ToHashSet();
        Assert.Superset(new HashSet<SquaremPhase> { SquaremPhase.First, SquaremPhase.Extrapolated, SquaremPhase.Check }, phases);
        var data = new DataFingerprint(["memory"], [3000], [0], [0], ["a", "b"], Overlapping.Length, "test");
        foreach (var state in states.Take(states.Count - 1))
        {
            using var file = new MemoryStream();
            CheckpointFile.WriteTo(file, new FitCheckpoint(settings, data, new FitState(state, null)));
            var read = CheckpointFile.Parse(file.ToArray(), "checkpoint").State.Current!;
            var resumed = EmRun.Resume(PreparedMixture.Prepare(read.Parameters, settings.RegCovar), settings, read.Restart, read.History, read.Converged, read.Squarem);
            while (!resumed.Finished) resumed.Advance(InMemoryFitter.Statistics(resumed.Current, Overlapping), TimeSpan.Zero);
            Close.Bitwise(original.Current.Mixture.Means, resumed.Current.Mixture.Means, "means");
            Close.Bitwise(original.Current.Mixture.Covariances, resumed.Current.Mixture.Covariances, "covariances");
            Close.Bitwise(original.History.ToArray(), resumed.History.ToArray(), "history");
            Assert.Equal(original.Iteration, resumed.Iteration);
        }
    }

    [Fact]
    public void A_checkpoint_of_one_kind_of_fit_does_not_resume_the_other()
    {
        var plain = Settings(CovarianceType.Diag, Acceleration.None);
        var run = new EmRun(Start(plain), plain, 0);
        run.Advance(InMemoryFitter.Statistics(run.Current, Overlapping), TimeSpan.Zero);
        var state = run.ToState();
        Assert.Null(state.Squarem);
        Assert.Throws<ArgumentException>(() => EmRun.Resume(run.Current, Settings(CovarianceType.Diag), 0, state.History, false, state.Squarem));
        Assert.NotEqual(FitCheckpoint.SettingsFingerprint(plain)["accelerate"], FitCheckpoint.SettingsFingerprint(Settings(CovarianceType.Diag))["accelerate"]);
    }

    [Theory]
    [InlineData(DegeneratePolicy.Reseed)]
    [InlineData(DegeneratePolicy.Drop)]
    public void Reseeding_or_dropping_components_is_refused_with_acceleration(DegeneratePolicy policy)
    {
        var settings = Settings(CovarianceType.Diag) with { OnDegenerate = policy };
        var e = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Equal($"accelerate squarem needs on-degenerate error, got {policy.ToName()}", e.Message);
        (settings with { Acceleration = Acceleration.None }).Validate();
    }

    private static PreparedMixture Start(FitSettings settings) => Initializer.Initialize(InitialSample.Concatenate(
        Overlapping.Select((s, i) => InitialSample.Draw(s, i, Overlapping.Sum(b => (long)b.Rows), settings)).ToArray(), 2), settings, 0);

    /// <summary>
    /// The package's <c>squarem1</c> loop, written out as it is: the map F and the objective evaluated separately,
    /// each by its own E-step over the data; defaults step.min0 = 1, step.max0 = 1, mstep = 4, objfn.inc = 1. Stops by
    /// the project's test (a plain step and the last cycle each change the mean log-likelihood by less than tol).
    /// Returns the result, the cycles, and how many distinct points were evaluated.
    /// </summary>
    private static (GaussianMixture Result, int Cycles, int DistinctPoints) PackageLoop(PreparedMixture start, FitSettings settings)
    {
        var evaluated = new HashSet<PreparedMixture>(ReferenceEqualityComparer.Instance);
        SufficientStatistics Stats(PreparedMixture x)
        {
            evaluated.Add(x);
            return InMemoryFitter.Statistics(x, Overlapping);
        }
        PreparedMixture F(PreparedMixture x) => MStep.Compute(Stats(x), x.Means, settings.RegCovar);
        double Objective(PreparedMixture x) => -Stats(x).LogLikelihood;
        double Mean(PreparedMixture x) => Stats(x).MeanLogLikelihood;

        double stepMax = 1, gain = double.MaxValue;
        var p = start;
        var lold = Objective(p);
        var cycles = 0;
        while (true)
        {
            cycles++;
            var p1 = F(p);
            var p2 = F(p1);
            var (meanP, meanP1) = (Mean(p), Mean(p1));
            if (Math.Abs(meanP1 - meanP) < settings.Tol && Math.Abs(gain) < settings.Tol) return (p2.Mixture, cycles, evaluated.Count);
            var (x, x1, x2) = (MixtureCoordinates.ToVector(p.Mixture), MixtureCoordinates.ToVector(p1.Mixture), MixtureCoordinates.ToVector(p2.Mixture));
            double sr2 = 0, sv2 = 0;
            for (var i = 0; i < x.Length; i++)
            {
                sr2 += (x1[i] - x[i]) * (x1[i] - x[i]);
                var v = (x2[i] - x1[i]) - (x1[i] - x[i]); // q₂ − q₁, as the package forms it
                sv2 += v * v;
            }
            var alpha = Math.Max(1, Math.Min(stepMax, Math.Sqrt(sr2 / sv2)));
            PreparedMixture? next = p2;
            if (alpha != 1)
            {
                var y = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    var q1 = x1[i] - x[i];
                    y[i] = x[i] + 2 * alpha * q1 + alpha * alpha * (x2[i] - x1[i] - q1);
                }
                var m = MixtureCoordinates.FromVector(p.Mixture.CovarianceType, p.Components, p.Dimensions, y);
                next = m is null ? null : PreparedMixture.Prepare(m, settings.RegCovar);
                if (next is not null && Math.Abs(alpha - 1) > 0.01) next = F(next); // stabilisation
            }
            double lnew;
            if (next is null)
            {
                next = p2;
                lnew = Objective(p2);
                if (alpha == stepMax) stepMax = Math.Max(1, stepMax / 4);
                alpha = 1;
            }
            else
            {
                lnew = Objective(next);
                if (double.IsNaN(lnew) || lnew > lold + 1)
                {
                    next = p2;
                    lnew = Objective(p2);
                    if (alpha == stepMax) stepMax = Math.Max(1, stepMax / 4);
                    alpha = 1;
                }
            }
            if (alpha == stepMax) stepMax *= 4;
            gain = Mean(next) - meanP;
            p = next;
            lold = lnew;
        }
    }
}
