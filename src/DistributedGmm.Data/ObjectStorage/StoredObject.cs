namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// An object as discovery saw it: its size and ETag. Every later read of it asks for that ETag and checks it came
/// back, so a fit never mixes two versions of one object.
/// </summary>
public sealed record StoredObject(ObjectUri Uri, long Size, string ETag)
{
    public override string ToString() => Uri.ToString();
}
