using Akka.Actor;
using DistributedGmm.Core;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Messages;

/// <summary>The node cannot serve the fit: it cannot read the data, or sees a different dataset.</summary>
public sealed record NodeRefused(Guid FitId, string Reason) : IGmmMessage;
