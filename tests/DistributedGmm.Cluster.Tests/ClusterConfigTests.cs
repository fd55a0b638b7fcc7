using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;

namespace DistributedGmm.Cluster.Tests;

public sealed class ClusterConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gmm-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ClusterNode Load(NodeSettings settings, Dictionary<string, string>? environment = null) =>
        ClusterConfig.Load(settings, name => environment?.GetValueOrDefault(name));

    /// <summary>A real node (it joins nobody): its settings as Akka loaded them, over Akka's own reference configuration.</summary>
    private static async Task<T> OnNode<T>(ClusterNode node, Func<ActorSystem, T> read)
    {
        var system = GmmActorSystem.Create(ClusterConfig.SystemName, node);
        try
        {
            return read(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_node_is_a_cluster_member_of_its_role_with_the_gmm_serializer_and_a_frame_size_well_above_its_limit()
    {
        var (provider, roles, serializer, frame, host) = await OnNode(Load(new NodeSettings { Role = ClusterConfig.WorkerRole }), system => (
            ((ExtendedActorSystem)system).Provider.GetType().Name,
            Akka.Cluster.Cluster.Get(system).SelfRoles,
            system.Serialization.FindSerializerForType(typeof(ComputeStatistics)),
            system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"),
            ((ExtendedActorSystem)system).Provider.DefaultAddress.Host));
        Assert.Equal("ClusterActorRefProvider", provider);
        Assert.Contains(ClusterConfig.WorkerRole, roles);
        Assert.IsType<GmmMessageSerializer>(serializer);
        Assert.Equal(731, serializer.Identifier);
        Assert.True(frame >= 2 * GmmMessageSerializer.MaxFrameBytes, $"maximum-frame-size {frame}");
        Assert.Equal("127.0.0.1", host);
    }

    [Fact]
    public async Task An_embedded_system_serializes_strictly_with_the_gmm_serializer_and_no_network()
    {
        var system = GmmActorSystem.Create("embedded");
        try
        {
            Assert.IsType<GmmMessageSerializer>(system.Serialization.FindSerializerForType(typeof(JoinFit)));
            Assert.False(system.Settings.Config.GetBoolean("akka.actor.serialization-settings.allow-unregistered-types"));
            Assert.Equal("LocalActorRefProvider", ((ExtendedActorSystem)system).Provider.GetType().Name);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void Environment_overrides_the_file_and_settings_override_the_environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["GMM_HOST"] = "node-a", ["GMM_BIND_HOST"] = "0.0.0.0", ["GMM_PORT"] = "4053",
            ["GMM_SEED_NODES"] = "akka.tcp://gmm@node-a:4053, akka.tcp://gmm@node-b:4053",
        };
        var fromEnvironment = Load(new NodeSettings { Role = "worker" }, environment).Config;
        Assert.Equal("node-a", fromEnvironment.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal("0.0.0.0", fromEnvironment.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4053, fromEnvironment.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://gmm@node-a:4053", "akka.tcp://gmm@node-b:4053"], fromEnvironment.GetStringList("akka.cluster.seed-nodes"));

        var flags = Load(new NodeSettings { Role = "coordinator", Host = "10.0.0.5", Port = 0, SeedNodes = ["akka.tcp://gmm@10.0.0.1:4053"] }, environment).Config;
        Assert.Equal("10.0.0.5", flags.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal("0.0.0.0", flags.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(0, flags.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://gmm@10.0.0.1:4053"], flags.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["coordinator"], flags.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void The_users_file_overrides_the_defaults_and_the_environment_overrides_the_file()
    {
        var file = Path.Combine(_dir, "mine.conf");
        File.WriteAllText(file, """
            akka.remote.dot-netty.tcp { hostname = "10.9.9.9", port = 5000, maximum-frame-size = 512000b }
            akka.cluster.seed-nodes = ["akka.tcp://gmm@from-file:5000"]
            akka.cluster.split-brain-resolver.stable-after = 9s
            gmm.request-timeout = 30s
            """);
        var fromFile = Load(new NodeSettings { Role = "worker", ConfigFile = file });
        Assert.Equal(["akka.tcp://gmm@from-file:5000"], fromFile.SeedNodes);
        Assert.Equal("10.9.9.9", fromFile.Config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(5000, fromFile.Config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(512_000, fromFile.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(TimeSpan.FromSeconds(9), fromFile.Config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromSeconds(30), fromFile.Settings.RequestTimeout);
        // What the file leaves alone keeps its default.
        Assert.Equal(GmmSettings.Default.JoinTimeout, fromFile.Settings.JoinTimeout);
        Assert.Equal(GmmSettings.Default.CoordinatorDownAfter, fromFile.Settings.CoordinatorDownAfter);

        var environment = new Dictionary<string, string> { ["GMM_CONFIG"] = file, ["GMM_PORT"] = "4053", ["GMM_SEED_NODES"] = "akka.tcp://gmm@env:4053" };
        var overridden = Load(new NodeSettings { Role = "worker" }, environment);
        Assert.Equal(4053, overridden.Config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("10.9.9.9", overridden.Config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(["akka.tcp://gmm@env:4053"], overridden.Config.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void The_host_binds_itself_unless_a_bind_host_is_given()
    {
        var config = Load(new NodeSettings { Role = "worker", Host = "10.1.2.3" }).Config;
        Assert.Equal("10.1.2.3", config.GetString("akka.remote.dot-netty.tcp.hostname"));
    }

    [Theory]
    [InlineData("akka.tcp://other@h:1")]
    [InlineData("h:4053")]
    [InlineData("akka.tcp://gmm@h")]
    public void Bad_seed_nodes_are_refused(string seed) =>
        Assert.Throws<ArgumentException>(() => ClusterConfig.ParseSeedNodes(seed));

    [Fact]
    public void The_embedded_copy_is_the_file_in_config()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "config", "gmm.conf");
        Assert.Equal(File.ReadAllText(file), ClusterConfig.FileText());
    }

    [Fact]
    public async Task The_resolver_keeps_the_oldest_member_counting_every_role_and_never_downs_all_when_unstable()
    {
        // keep-oldest without a role: the oldest member is a long-lived worker, and a coordinator on its side breaks
        // the tie when one of two workers dies (see docs/cluster.md, "Membership, downing and timings").
        var config = await OnNode(Load(new NodeSettings { Role = ClusterConfig.WorkerRole }), system => system.Settings.Config);
        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-oldest", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.True(config.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
        Assert.Equal("", config.GetString("akka.cluster.split-brain-resolver.keep-oldest.role"));
        Assert.False(config.GetBoolean("akka.cluster.split-brain-resolver.down-all-when-unstable"));
        // A dead coordinator is downed by the workers before the resolver's own decision would come.
        Assert.True(GmmSettings.From(config).CoordinatorDownAfter < config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }

    /// <summary>
    /// Every value the node configuration carried as a HOCON file before it moved to typed Akka.Hosting options, as a
    /// started node reads it: the move changed none of them.
    /// </summary>
    [Fact]
    public async Task A_started_node_runs_with_the_settings_the_membership_timings_were_tuned_for()
    {
        var config = await OnNode(Load(new NodeSettings { Role = ClusterConfig.WorkerRole }), system => system.Settings.Config);
        var durations = new Dictionary<string, double>
        {
            ["akka.cluster.failure-detector.heartbeat-interval"] = 1,
            ["akka.cluster.failure-detector.acceptable-heartbeat-pause"] = 5,
            ["akka.cluster.split-brain-resolver.stable-after"] = 7,
            ["akka.cluster.allow-weakly-up-members"] = 3,
            ["akka.coordinated-shutdown.phases.cluster-leave.timeout"] = 25,
            ["akka.coordinated-shutdown.phases.cluster-exiting.timeout"] = 20,
        };
        foreach (var (key, seconds) in durations) Assert.True(TimeSpan.FromSeconds(seconds) == config.GetTimeSpan(key), key);
        var gmm = GmmSettings.From(config);
        // A leave beside an unreachable member waits for its detection and its down (by the workers or the resolver).
        var detection = config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause");
        var down = TimeSpan.FromTicks(Math.Max(gmm.CoordinatorDownAfter.Ticks, config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after").Ticks));
        Assert.True(detection + down < config.GetTimeSpan("akka.coordinated-shutdown.phases.cluster-leave.timeout"));
        Assert.Equal(TimeSpan.FromSeconds(60), gmm.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), gmm.JoinTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), gmm.CoordinatorDownAfter);
        Assert.Equal(1, gmm.NodeWorkers);
        Assert.Equal(10.0, config.GetDouble("akka.cluster.failure-detector.threshold"));
        Assert.Equal(256_000, config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(512_000, config.GetByteSize("akka.remote.dot-netty.tcp.send-buffer-size"));
        Assert.Equal(512_000, config.GetByteSize("akka.remote.dot-netty.tcp.receive-buffer-size"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.tcp-reuse-addr"));
        Assert.False(config.GetBoolean("akka.remote.log-remote-lifecycle-events"));
        Assert.Equal("fork-join-executor", config.GetString("akka.actor.internal-dispatcher.executor"));
        Assert.Equal(2, config.GetInt("akka.actor.internal-dispatcher.fork-join-executor.parallelism-min"));
        Assert.Equal(4, config.GetInt("akka.actor.internal-dispatcher.fork-join-executor.parallelism-max"));
        Assert.Equal(1.0, config.GetDouble("akka.actor.internal-dispatcher.fork-join-executor.parallelism-factor"));
        Assert.Equal("fork-join-executor", config.GetString("akka.remote.default-remote-dispatcher.executor"));
        Assert.Equal(GmmMessageSerializer.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), config.GetString("akka.cluster.app-version"));
        Assert.Equal(LogLevel.WarningLevel, Logging.LogLevelFor(config.GetString("akka.loglevel")));
        Assert.False(config.GetBoolean("akka.log-dead-letters"));
        Assert.False(config.GetBoolean("akka.log-dead-letters-during-shutdown"));
        Assert.Equal([typeof(StderrLogger).AssemblyQualifiedName], config.GetStringList("akka.loggers"));
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.exit-clr"));
    }
}
