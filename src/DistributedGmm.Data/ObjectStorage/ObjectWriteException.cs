namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// An output could not be uploaded (refused credentials, no write permission, the store unreachable): trouble of
/// the process that writes, not of the input, so a cluster gives the file to another node.
/// </summary>
public sealed class ObjectWriteException(string message, Exception inner) : IOException(message, inner);
