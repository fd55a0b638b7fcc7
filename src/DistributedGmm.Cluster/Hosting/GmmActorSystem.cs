using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// An actor system configured by <see cref="GmmAkkaHostingExtensions.WithGmm"/> for a run that is not a hosted
/// service: an embedded fit, a coordinator's job, a <c>gmm node</c> that joins again after being downed. The caller
/// owns the system and terminates it; no hosted service runs.
/// </summary>
public static class GmmActorSystem
{
    public static ActorSystem Create(string name, ClusterNode? node = null, Config? overrides = null)
    {
        var services = new ServiceCollection();
        services.AddAkka(name, builder => builder.WithGmm(node, overrides));
        return services.BuildServiceProvider().GetRequiredService<ActorSystem>();
    }
}
