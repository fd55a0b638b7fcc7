using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Cluster.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// The one way a gmm actor system is configured (Akka.Hosting), embedded in a process or as a cluster node:
/// the binary serializer bound to every <see cref="IGmmMessage"/> through typed options, strict serialization,
/// quiet logging, and for a node remoting, clustering and the split-brain resolver. A node's settings come in
/// layers, strongest first: its flags and environment (<see cref="ClusterNode"/>), the user's file
/// (<see cref="ClusterNode.UserConfig"/>), <see cref="NodeDefaults"/>, Akka's own defaults.
/// </summary>
public static class GmmAkkaHostingExtensions
{
    /// <summary>
    /// Configures <paramref name="builder"/> for gmm: embedded without <paramref name="node"/> (no network), else as
    /// that cluster node. <paramref name="overrides"/> (tests) goes over everything.
    /// </summary>
    public static AkkaConfigurationBuilder WithGmm(this AkkaConfigurationBuilder builder, ClusterNode? node = null, Config? overrides = null)
    {
        builder.WithRuntime(cluster: node is not null);
        if (node is not null) builder.WithNode(node, node.Tls is { } tls ? TlsConfig.Ssl(tls) : null);
        if (overrides is not null) builder.AddHocon(overrides, HoconAddMode.Prepend);
        return builder;
    }

    /// <summary>
    /// Hosts a worker node in the application's own generic host: the node joins the cluster when the host starts,
    /// serves fits (<see cref="WorkerNodeOptions.Workers"/> shard workers each) and leaves when it stops. A node the
    /// cluster downs stops its actor system, and Akka.Hosting then stops the host (<c>gmm node</c> instead joins
    /// again in the same process): run it under a supervisor that restarts it.
    /// </summary>
    public static IServiceCollection AddGmmWorker(this IServiceCollection services, ClusterNode node, WorkerNodeOptions? options = null)
    {
        if (node.Role != ClusterConfig.WorkerRole)
            throw new ArgumentException($"a worker node has role {ClusterConfig.WorkerRole}, got '{node.Role}'", nameof(node));
        return services.AddAkka(ClusterConfig.SystemName, builder =>
        {
            ListenAddress.EnsureAvailable(node.Config);
            builder.WithGmm(node).WithActors((system, _) => WorkerNodeHost.StartActors(system, options ?? new WorkerNodeOptions()));
        });
    }

    /// <summary>The configuration <see cref="WithGmm"/> composes for <paramref name="node"/>, without loading its TLS certificate.</summary>
    internal static Config Compose(ClusterNode node)
    {
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), ClusterConfig.SystemName);
        builder.WithRuntime(cluster: true).WithNode(node, node.Tls is null ? null : new SslOptions());
        return builder.Configuration.GetOrElse(Config.Empty);
    }

    private static AkkaConfigurationBuilder WithRuntime(this AkkaConfigurationBuilder builder, bool cluster) => builder
        .AddHocon(RuntimeHocon, HoconAddMode.Append)
        .ConfigureLoggers(logging =>
        {
            logging.LogLevel = LogLevel.WarningLevel;
            logging.DeadLetterOptions = new DeadLetterOptions { ShouldLog = TriStateValue.None, LogDuringShutdown = false };
            // A node's log lines go to stderr: stdout is the command's output.
            if (cluster) logging.ClearLoggers().AddLogger<StderrLogger>();
        })
        .WithStrictSerialization()
        .WithCustomSerializer(GmmMessageSerializer.Alias, [typeof(IGmmMessage)], system => new GmmMessageSerializer(system));

    /// <summary>
    /// Defaults first, the user's file over them, the node's own settings over the file: every layer is prepended
    /// over the ones before it. <paramref name="ssl"/> is the transport's TLS (<see cref="TlsConfig.Ssl"/>), null without.
    /// </summary>
    private static AkkaConfigurationBuilder WithNode(this AkkaConfigurationBuilder builder, ClusterNode node, SslOptions? ssl) => builder
        .WithRemoting(NodeDefaults.Remote)
        .WithClustering(NodeDefaults.Cluster)
        .AddHocon(NodeDefaults.Hocon, HoconAddMode.Prepend)
        .AddHocon(node.UserConfig, HoconAddMode.Prepend)
        .WithRemoting(new RemoteOptions
        {
            HostName = node.BindHost ?? node.Host,
            PublicHostName = node.Host,
            Port = node.Port,
            EnableSsl = ssl is null ? null : true,
            Ssl = ssl ?? new SslOptions(),
        })
        .WithClustering(new ClusterOptions
        {
            Roles = [node.Role],
            AppVersion = WireProtocol.AppVersion.Version,
            SeedNodes = TlsConfig.Seeds(node.SeedNodes, node.Tls).ToArray(),
        });

    /// <summary>No typed options for these: the console logger's level, and a process that leaves its CLR alone.</summary>
    private static readonly Config RuntimeHocon = ConfigurationFactory.ParseString("""
        akka {
          stdout-loglevel = WARNING
          coordinated-shutdown {
            run-by-clr-shutdown-hook = off
            exit-clr = off
          }
        }
        """);
}
