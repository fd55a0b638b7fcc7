namespace DistributedGmm.Core.Persistence;

/// <summary>An output that cannot or must not be written (disk full, a device, a kernel file system, an input); the message names it.</summary>
public sealed class OutputException(string message, Exception? inner = null) : Exception(message, inner);
