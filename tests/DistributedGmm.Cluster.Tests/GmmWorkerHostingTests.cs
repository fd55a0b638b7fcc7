using DistributedGmm.Cluster.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// <c>services.AddGmmWorker</c> hosts worker nodes only; a hosted worker serving a real <c>gmm fit --cluster</c>
/// coordinator is tested end to end in the CLI's tests (<c>HostedWorkerTests</c>).
/// </summary>
public sealed class GmmWorkerHostingTests
{
    [Fact]
    public void Only_a_worker_node_can_be_hosted_as_a_worker() =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddGmmWorker(new ClusterNode { Role = ClusterConfig.CoordinatorRole }));
}
