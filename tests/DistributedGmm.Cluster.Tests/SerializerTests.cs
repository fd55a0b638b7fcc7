using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Tests;

public sealed class SerializerTests : IDisposable
{
    private static readonly Guid Fit = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    private readonly ActorSystem _system = GmmActorSystem.Create("serializer-tests", overrides: TestData.Config);

    public static TheoryData<IGmmMessage> Messages() =>
    [
        new RegisterWorker(4),
        new ParametersChunk(Fit, 7, 2, 5, [1.5, -0.0, double.NaN, double.Epsilon, double.MaxValue]),
        new ComputeStatistics(Fit, 3, 1, CovarianceType.Tied, 64, 16, 1e-6, KernelPath.Vector256, [0, 3, 9]),
        new DrawSample(Fit, 1, 0, 5_000_000_000L, 200_000, -17, [2]),
        new GroupResult(Fit, 9, 2, 4, 0, 1, [Math.PI, -1e300], [0xFEDC_BA98_7654_3210UL, 1]),
        new GroupFailed(Fit, 9, 0, 4, true, "System.IO.InvalidDataException", "bad file 'ä.parquet'"),
        new EndFit(Fit),
        new NodeJoined(Fit, 3, KernelPath.Vector512),
        new NodeRefused(Fit, "node akka.tcp://gmm@h:1: cannot read the data: ü"),
        new FileProgress(Fit, 12),
    ];

    private Serializer SerializerFor(object message) => _system.Serialization.FindSerializerFor(message);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips_through_the_binary_serializer(IGmmMessage message)
    {
        var serializer = Assert.IsType<GmmMessageSerializer>(SerializerFor(message));
        Assert.Equal(GmmMessageSerializer.SerializerId, serializer.Identifier);
        var bytes = serializer.ToBinary(message);
        var manifest = serializer.Manifest(message);
        var back = serializer.FromBinary(bytes, manifest);
        Assert.IsType(message.GetType(), back);
        Assert.Equal(bytes, serializer.ToBinary(back));
        Assert.Equal(GmmMessageSerializer.Version, bytes[0]);
        if (message is not (ParametersChunk or ComputeStatistics or DrawSample or GroupResult)) Assert.Equal(message, back);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JoinFit_round_trips_with_its_coordinator_reference(bool withColumns)
    {
        var coordinator = _system.ActorOf(Props.Empty, "coordinator-" + withColumns);
        var message = new JoinFit(Fit, coordinator, Spec(withColumns));
        var back = (JoinFit)RoundTrip(message);
        Assert.Equal(coordinator, back.Coordinator);
        AssertSameSpec(message.Data, back.Data);
        Assert.Equal(message.FitId, back.FitId);
        var serializer = SerializerFor(message);
        var bytes = serializer.ToBinary(message);
        Assert.Throws<SerializationException>(() => ((SerializerWithStringManifest)serializer).FromBinary(bytes[..^3], "join"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PredictFile_and_FilePredicted_round_trip(bool withColumns)
    {
        var message = new PredictFile(Fit, Spec(withColumns), CovarianceType.Diag, 64, 64, 3, "/out/part ü.parquet");
        var back = (PredictFile)RoundTrip(message);
        AssertSameSpec(message.Data, back.Data);
        Assert.Equal(message with { Data = back.Data }, back);
        foreach (IReadOnlyList<string> keep in new[] { new[] { "id", "label ü" }, [] })
        {
            var keeping = (PredictFile)RoundTrip(message with { KeepColumns = keep });
            Assert.Equal(keep, keeping.KeepColumns);
        }
        foreach (var reply in new[] { new FilePredicted(Fit, 2, false, null), new FilePredicted(Fit, 2, true, "bad row group") })
            Assert.Equal(reply, RoundTrip(reply));
    }

    /// <summary>With columns: a weight column and the float32 cache too; without: neither (the defaults).</summary>
    private static DatasetSpec Spec(bool withColumns) =>
        new(["/data/a.parquet", "/data/b ü.parquet"], withColumns ? ["x0", "x1"] : null, 1, 4096,
            new DataFingerprint(["/data/a.parquet", "/data/b ü.parquet"], [4, 6], [1234, 5678], [ulong.MaxValue, 42], ["x0", "x1"], 2,
                withColumns ? "on-invalid error, shard-rows 4096, weight-column weight ü, cache-precision float32" : "on-invalid error, shard-rows 4096"),
            withColumns ? "weight ü" : null, Float32Values: withColumns);

    private static void AssertSameSpec(DatasetSpec expected, DatasetSpec actual)
    {
        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Columns, actual.Columns);
        Assert.Equal(expected.WeightColumn, actual.WeightColumn);
        Assert.Equal(expected.Float32Values, actual.Float32Values);
        Assert.Null(expected.Fingerprint.FirstDifference(actual.Fingerprint));
        Assert.Equal(expected with { Inputs = actual.Inputs, Columns = actual.Columns, Fingerprint = actual.Fingerprint }, actual);
    }

    [Fact]
    public void Fields_survive_exactly()
    {
        var message = new ComputeStatistics(Fit, 3, 1, CovarianceType.Spherical, 5, 2, 0.25, KernelPath.Scalar, [1, 8]);
        var back = (ComputeStatistics)RoundTrip(message);
        Assert.Equal(message with { Groups = back.Groups }, back);
        Assert.Equal(message.Groups, back.Groups);
        var chunk = new GroupResult(Fit, 1, 0, 2, 0, 1, [double.NegativeZero, double.NaN], [ulong.MaxValue, 0, 7]);
        var backChunk = (GroupResult)RoundTrip(chunk);
        Assert.Equal(chunk.Values.Select(BitConverter.DoubleToInt64Bits), backChunk.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(chunk.ShardHashes, backChunk.ShardHashes);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_truncated_frame_raises_SerializationException(IGmmMessage message)
    {
        var serializer = (SerializerWithStringManifest)SerializerFor(message);
        var bytes = serializer.ToBinary(message);
        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<SerializationException>(() => serializer.FromBinary(cut, serializer.Manifest(message)));
        }
        Assert.Throws<SerializationException>(() => serializer.FromBinary([.. bytes, 0], serializer.Manifest(message)));
    }

    [Fact]
    public void A_frame_that_declares_a_huge_array_raises_before_allocating()
    {
        var message = new GroupResult(Fit, 1, 0, 2, 0, 1, [1, 2, 3], []);
        var serializer = (SerializerWithStringManifest)SerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var countOffset = bytes.Length - 4 - 3 * 8 - 4; // before the values and the (empty) hash list
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countOffset), int.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "res"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000, "allocated for a lying frame");
        Assert.Contains("declares", error.Message);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countOffset), -1);
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "res"));
    }

    [Fact]
    public void Unknown_versions_manifests_and_inconsistent_chunks_are_rejected()
    {
        var serializer = (SerializerWithStringManifest)SerializerFor(new EndFit(Fit));
        var bytes = serializer.ToBinary(new EndFit(Fit));
        bytes[0] = 99;
        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "end"));
        Assert.Throws<SerializationException>(() => serializer.FromBinary(serializer.ToBinary(new EndFit(Fit)), "nope"));
        var chunk = serializer.ToBinary(new ParametersChunk(Fit, 1, 4, 5, [1]));
        chunk[1 + 16 + 4] = 9; // index 9 of 5
        Assert.Throws<SerializationException>(() => serializer.FromBinary(chunk, "par"));
        var request = serializer.ToBinary(new ComputeStatistics(Fit, 1, 0, CovarianceType.Full, 1, 1, 0, KernelPath.Scalar, []));
        request[1 + 16 + 8] = 42; // no such covariance type
        Assert.Throws<SerializationException>(() => serializer.FromBinary(request, "cmp"));
    }

    [Fact]
    public void An_oversized_frame_is_refused_rather_than_silently_dropped_by_the_transport()
    {
        var serializer = SerializerFor(new EndFit(Fit));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new GroupResult(Fit, 1, 0, 0, 0, 1, new double[20_000], [])));
        Assert.True(Chunking.ChunkDoubles * 8 + 64 < GmmMessageSerializer.MaxFrameBytes);
    }

    [Fact]
    public void Unregistered_types_do_not_fall_back_to_the_default_serializer()
    {
        Assert.ThrowsAny<Exception>(() => _system.Serialization.FindSerializerFor(new { Surprise = 1 }));
    }

    private object RoundTrip(IGmmMessage message)
    {
        var serializer = (SerializerWithStringManifest)SerializerFor(message);
        return serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Fact]
    public void An_error_of_any_length_is_bounded_to_a_frame_that_crosses_the_wire()
    {
        var huge = new string('e', 10 * GmmMessageSerializer.MaxFrameBytes);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() =>
            SerializerFor(new FilePredicted(Fit, 1, false, huge)).ToBinary(new FilePredicted(Fit, 1, false, huge)));
        var bounded = new FilePredicted(Fit, 1, false, ErrorText.Bound(huge));
        var bytes = SerializerFor(bounded).ToBinary(bounded);
        Assert.True(bytes.Length < GmmMessageSerializer.MaxFrameBytes);
        Assert.StartsWith(huge[..100], ErrorText.Bound(huge));
        Assert.Equal("short message", ErrorText.Bound("short message"));
    }
}
