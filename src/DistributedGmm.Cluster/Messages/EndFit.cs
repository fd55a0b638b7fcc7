namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// The fit is over (done, failed or cancelled): workers drop its parameters and stop its work. Sent by a predict
/// job that failed or was cancelled to the worker nodes with a file in flight: each drops that file and answers
/// <see cref="FilePredicted"/> (wire protocol 4).
/// </summary>
public sealed record EndFit(Guid FitId) : IGmmMessage;
