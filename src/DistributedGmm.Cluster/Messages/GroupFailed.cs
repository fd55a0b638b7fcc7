namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// A group could not be computed. <see cref="InputError"/> marks the user's data as the cause (a bad file):
/// the fit stops with <see cref="Message"/>; anything else is retried elsewhere a bounded number of times.
/// </summary>
public sealed record GroupFailed(Guid FitId, int Step, int Attempt, int Group, bool InputError, string ErrorType,
    string Message) : IFitRoundMessage;
