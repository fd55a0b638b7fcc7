
namespace DistributedGmm.Core.Persistence;

/// <summary>A checkpoint that cannot be read, or does not belong to the fit that tries to resume from it.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
