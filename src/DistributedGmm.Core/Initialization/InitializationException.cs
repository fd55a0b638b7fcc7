namespace DistributedGmm.Core.Initialization;

/// <summary>The start of a fit is impossible from what the user gave: too few valid rows, or an initial model that is not a mixture.</summary>
public sealed class InitializationException(string message, Exception? inner = null) : Exception(message, inner);
