using Akka.Actor;
using Akka.Serialization;
using DistributedGmm.Cluster.Serialization;

namespace DistributedGmm.Cluster.Tests;

/// <summary>The gmm serializer, remembering the largest frame it wrote: put in its place in a test's actor system.</summary>
public sealed class MeasuringSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly GmmMessageSerializer _inner = new(system);
    private int _largestFrame;

    public int LargestFrame => Volatile.Read(ref _largestFrame);

    public override int Identifier => _inner.Identifier;

    public override string Manifest(object o) => _inner.Manifest(o);

    public override byte[] ToBinary(object obj)
    {
        var frame = _inner.ToBinary(obj);
        int seen;
        while (frame.Length > (seen = Volatile.Read(ref _largestFrame)) &&
               Interlocked.CompareExchange(ref _largestFrame, frame.Length, seen) != seen) { }
        return frame;
    }

    public override object FromBinary(byte[] bytes, string manifest) => _inner.FromBinary(bytes, manifest);
}
