namespace DistributedGmm.Core.Persistence;

/// <summary>A model file that cannot be read or is not a valid model; the message names the file and what is wrong.</summary>
public sealed class ModelFileException(string message, Exception? inner = null) : Exception(message, inner);
