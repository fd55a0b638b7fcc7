namespace DistributedGmm.Data.ObjectStorage;

/// <summary>An <c>s3://bucket/key</c> address. The key may be empty (the whole bucket) or end in '/' (a prefix).</summary>
public readonly record struct ObjectUri(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    /// <summary>True for any argument that names object storage rather than a local path.</summary>
    public static bool IsObjectUri(string path) => path.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static ObjectUri Parse(string uri)
    {
        if (!IsObjectUri(uri)) throw new DataException($"{uri}: not an s3:// address");
        var rest = uri[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0) throw new DataException($"{uri}: no bucket named (write s3://bucket/key)");
        return new ObjectUri(bucket, slash < 0 ? "" : rest[(slash + 1)..]);
    }

    /// <summary>The same bucket, another key.</summary>
    public ObjectUri WithKey(string key) => new(Bucket, key);

    public override string ToString() => Scheme + Bucket + "/" + Key;
}
