namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// The object store of this process, made on first use from <see cref="ObjectStoreSettings.FromEnvironment"/>
/// (the CLI may set the endpoint first, from --s3-endpoint). Data options can name another (the tests do).
/// </summary>
public static class ObjectStores
{
    private static readonly Lock Gate = new();
    private static string? _endpointOption;
    private static ObjectStore? _default;

    /// <summary>Sets --s3-endpoint; call before any s3:// path is read.</summary>
    public static void UseEndpoint(string? endpoint)
    {
        lock (Gate)
        {
            _endpointOption = endpoint;
            _default = null;
        }
    }

    public static ObjectStore Default
    {
        get
        {
            lock (Gate) return _default ??= new ObjectStore(ObjectStoreSettings.FromEnvironment(_endpointOption));
        }
    }
}
