using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

public class FaultTests
{
    private static readonly InMemoryShardSource Source = TestData.StandardSource;
    private static readonly FitSettings Settings = TestData.Settings();
    private static readonly Lazy<FittedModel> Reference = new(() => TestData.InMemory(Settings));

    private readonly List<FitProgress> _progress = [];

    private Task<FittedModel> Run(WorkerFaultHook fault, IShardSource? source = null, FitJob? job = null) =>
        TestRuntime.RunAsync(job ?? TestData.Job(Settings), source ?? Source, new SynchronousProgress<FitProgress>(_progress.Add), fault);

    [Fact]
    public async Task A_worker_that_throws_on_its_first_request_changes_nothing()
    {
        var model = await Run((worker, request) => worker == 1 && request == 0 ? WorkerFault.Throw : WorkerFault.None);
        ModelAssert.BitIdentical(Reference.Value, model);
        Assert.Equal(2, _progress[0].LiveWorkers);
    }

    [Fact]
    public async Task A_worker_stopped_mid_fit_changes_nothing()
    {
        var model = await Run((worker, request) => worker == 0 && request == 3 ? WorkerFault.Stop : WorkerFault.None);
        ModelAssert.BitIdentical(Reference.Value, model);
        Assert.Equal(3, _progress[1].LiveWorkers);
        Assert.Equal(2, _progress[^1].LiveWorkers);
    }

    [Fact]
    public async Task A_worker_stopped_mid_fit_changes_nothing_under_squarem()
    {
        var settings = Settings with { Acceleration = Acceleration.Squarem };
        var model = await Run((worker, request) => worker == 0 && request == 4 ? WorkerFault.Stop : WorkerFault.None, job: TestData.Job(settings));
        ModelAssert.BitIdentical(TestData.InMemory(settings), model);
        Assert.True(model.Passes > model.Iterations, "SQUAREM took several passes an iteration");
        Assert.Equal(2, _progress[^1].LiveWorkers);
        Assert.Equal(model.Passes, _progress[^1].Step.Pass);
    }

    [Fact]
    public async Task A_request_left_unanswered_times_out_and_goes_elsewhere()
    {
        var job = TestData.Job(Settings) with { Runtime = GmmSettings.Default with { RequestTimeout = TimeSpan.FromSeconds(1) } };
        var model = await Run((worker, request) => worker == 2 && request == 2 ? WorkerFault.Ignore : WorkerFault.None, job: job);
        ModelAssert.BitIdentical(Reference.Value, model);
        Assert.True(_progress[1].Step.Elapsed >= job.Runtime.RequestTimeout, "the second iteration waited for the timeout");
        Assert.Equal(3, _progress[^1].LiveWorkers);
    }

    [Fact]
    public async Task Late_answers_from_a_slow_worker_are_ignored()
    {
        var job = TestData.Job(Settings) with { Runtime = GmmSettings.Default with { RequestTimeout = TimeSpan.FromMilliseconds(500) } };
        var model = await Run((worker, request) => worker == 1 && request is 1 or 3 ? WorkerFault.Delay : WorkerFault.None, job: job);
        ModelAssert.BitIdentical(Reference.Value, model);
    }

    [Fact]
    public async Task A_group_that_keeps_failing_fails_the_fit()
    {
        var job = TestData.Job(Settings) with { Runtime = GmmSettings.Default with { RequestTimeout = TimeSpan.FromMilliseconds(200) } };
        var error = await Assert.ThrowsAsync<FitFailedException>(() => Run((_, request) => request >= 2 ? WorkerFault.Ignore : WorkerFault.None, job: job));
        Assert.Contains("failed 3 times", error.Message);
    }

    [Fact]
    public async Task Losing_every_worker_fails_the_fit()
    {
        var error = await Assert.ThrowsAsync<FitFailedException>(() => Run((_, request) => request == 1 ? WorkerFault.Throw : WorkerFault.None));
        Assert.Contains("every worker was lost", error.Message);
    }

    [Fact]
    public async Task A_bad_shard_among_good_ones_fails_the_fit_with_its_message()
    {
        var source = new FailingSource(Source, 13, () => new InvalidDataException("data/part-3.parquet: column 'x1' is not numeric (row group 0)"));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Run((_, _) => WorkerFault.None, source));
        Assert.Equal("data/part-3.parquet: column 'x1' is not numeric (row group 0)", error.Message);
        Assert.Equal(1, source.Failures);
    }

    [Fact]
    public async Task A_shard_that_always_throws_an_unexpected_error_fails_the_fit_after_bounded_retries()
    {
        var source = new FailingSource(Source, 20, () => new InvalidOperationException("disk on fire"));
        var error = await Assert.ThrowsAsync<FitFailedException>(() => Run((_, _) => WorkerFault.None, source));
        Assert.Contains("disk on fire", error.Message);
        Assert.Equal(3, source.Failures);
    }

    /// <summary>A source whose shard <c>bad</c> throws on every read.</summary>
    private sealed class FailingSource(IShardSource inner, int bad, Func<Exception> error) : SourceDecorator(inner)
    {
        private int _failures;
        public int Failures => Volatile.Read(ref _failures);

        public override RowBlock Read(int shardId)
        {
            if (shardId != bad) return base.Read(shardId);
            Interlocked.Increment(ref _failures);
            throw error();
        }
    }
}
