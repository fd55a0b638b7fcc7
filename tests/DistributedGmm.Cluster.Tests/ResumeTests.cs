using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// A fit stopped after any iteration and resumed from its checkpointed state (through the checkpoint file, as the
/// CLI does) ends with the uninterrupted fit's model, bit for bit.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gmm-resume-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly DataFingerprint Data = new(["memory"], [3000], [0], [0], TestData.StandardSource.Columns.ToArray(), TestData.StandardSource.ShardCount, "test");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(2, -1)] // the first iteration of the second restart
    [InlineData(2, -2)] // the last iteration: only the final E-step remains
    [InlineData(1, 2, true)] // SQUAREM: after p₁'s pass, before the extrapolation
    [InlineData(1, 3, true)]
    [InlineData(1, 4, true)]
    [InlineData(2, -1, true)]
    [InlineData(2, -2, true)]
    public async Task A_fit_stopped_after_an_iteration_resumes_to_the_same_model(int nInit, int stopAfter, bool squarem = false)
    {
        var settings = TestData.Settings(nInit: nInit) with
        {
            Init = InitMethod.RandomFromData,
            Acceleration = squarem ? Acceleration.Squarem : Acceleration.None,
        };
        var reference = TestData.InMemory(settings);
        if (squarem) Assert.True(reference.Passes > reference.Iterations + 2, "the reference fit extrapolated");
        var states = new List<FitState>();
        await EmbeddedFit.RunAsync(TestData.Job(settings) with { Checkpoint = states.Add }, TestData.StandardSource, null, TestData.Hooks, default);
        if (nInit == 1) Assert.Equal(reference.Passes, states.Count);
        else Assert.True(states.Count > reference.Iterations);
        Assert.Null(states[^1].Current); // after the last iteration only the final E-step remains
        var index = stopAfter switch
        {
            -1 => states.FindIndex(s => s.Current is { Restart: 1, Iteration: 1 }),
            -2 => states.Count - 1,
            _ => stopAfter - 1,
        };
        Assert.InRange(index, 0, states.Count - 1);

        // Stop a real fit right after that iteration's checkpoint, then resume from the file it wrote.
        var path = CheckpointFile.PathIn(_directory);
        using var stop = new CancellationTokenSource();
        var written = 0;
        var stopped = EmbeddedFit.RunAsync(TestData.Job(settings) with
        {
            Checkpoint = state =>
            {
                CheckpointFile.Write(path, new FitCheckpoint(settings, Data, state));
                if (++written == index + 1) stop.Cancel();
            },
        }, TestData.StandardSource, null, TestData.Hooks, stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        Assert.Equal(index + 1, written);

        var checkpoint = CheckpointFile.Read(path);
        checkpoint.EnsureMatches(settings, Data, path);
        Assert.Equal(states[index].Current is null, checkpoint.RestartsFinished);
        var resumed = await EmbeddedFit.RunAsync(TestData.Job(settings, workers: 2) with { Resume = checkpoint.State },
            TestData.StandardSource, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(reference, resumed);
    }

    /// <summary>
    /// Every checkpoint records each shard's content hash (checked against XXH3 of the shard's values computed here),
    /// and a resume over data whose one shard changed, same size, is refused naming the shard.
    /// </summary>
    [Fact]
    public async Task Checkpoints_record_every_shards_hash_and_a_resume_on_changed_data_is_refused()
    {
        var settings = TestData.Settings() with { Init = InitMethod.RandomFromData, MaxIter = 3, Tol = 0 };
        var states = new List<FitState>();
        await EmbeddedFit.RunAsync(TestData.Job(settings) with { Checkpoint = states.Add }, TestData.StandardSource, null, TestData.Hooks, default);
        var expected = TestData.Standard.Select(b => DistributedGmm.Data.ContentHash.Of(b.Span)).ToArray();
        Assert.All(expected, h => Assert.NotEqual(0UL, h));
        Assert.All(states, s => Assert.Equal(expected, s.ShardHashes));

        var path = CheckpointFile.PathIn(_directory);
        CheckpointFile.Write(path, new FitCheckpoint(settings, Data, states[0]));
        var state = CheckpointFile.Read(path).State;
        Assert.Equal(expected, state.ShardHashes);

        // Shard 5 with two of its rows swapped: the same values, the same size, other content.
        var changed = TestData.Standard.Select(b => b).ToArray();
        var original = changed[5];
        var values = original.Span.ToArray();
        var d = original.Dimensions;
        for (var j = 0; j < d; j++) (values[j], values[d + j]) = (values[d + j], values[j]);
        changed[5] = new RowBlock(values, original.Rows, d);
        var error = await Assert.ThrowsAsync<DistributedGmm.Data.DataException>(() => EmbeddedFit.RunAsync(TestData.Job(settings, workers: 2) with { Resume = state },
            new Sources.InMemoryShardSource(changed, TestData.StandardSource.Columns), null, TestData.Hooks, default));
        Assert.StartsWith("shard 5: node ", error.Message);
        Assert.Contains("than the fit that wrote the checkpoint did", error.Message);

        var resumed = await EmbeddedFit.RunAsync(TestData.Job(settings, workers: 2) with { Resume = state }, TestData.StandardSource, null, TestData.Hooks, default);
        Assert.Equal(settings.MaxIter, resumed.Iterations);
    }
}
