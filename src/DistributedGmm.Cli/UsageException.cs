namespace DistributedGmm.Cli;

/// <summary>A user's mistake found by the command itself (a bad option value, a model that does not fit the data): exit code 2, one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
