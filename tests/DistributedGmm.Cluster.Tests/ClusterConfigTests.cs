using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Serialization;

namespace DistributedGmm.Cluster.Tests;

public sealed class ClusterConfigTests
{
    private static Config Load(NodeSettings settings, Dictionary<string, string>? environment = null) =>
        ClusterConfig.Load(settings, name => environment?.GetValueOrDefault(name));

    [Fact]
    public void The_node_config_has_cluster_remoting_and_a_frame_size_well_above_the_serializers_limit()
    {
        var config = Load(new NodeSettings { Role = ClusterConfig.WorkerRole });
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"));
        var frame = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size");
        Assert.True(frame >= 2 * GmmMessageSerializer.MaxFrameBytes, $"maximum-frame-size {frame}");
        Assert.Equal(["worker"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal(731, config.GetInt("akka.actor.serialization-identifiers.\"DistributedGmm.Cluster.Serialization.GmmMessageSerializer, DistributedGmm.Cluster\""));
    }

    [Fact]
    public void Environment_overrides_the_file_and_settings_override_the_environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["GMM_HOST"] = "node-a", ["GMM_BIND_HOST"] = "0.0.0.0", ["GMM_PORT"] = "4053",
            ["GMM_SEED_NODES"] = "akka.tcp://gmm@node-a:4053, akka.tcp://gmm@node-b:4053",
        };
        var fromEnvironment = Load(new NodeSettings { Role = "worker" }, environment);
        Assert.Equal("node-a", fromEnvironment.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal("0.0.0.0", fromEnvironment.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4053, fromEnvironment.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://gmm@node-a:4053", "akka.tcp://gmm@node-b:4053"], fromEnvironment.GetStringList("akka.cluster.seed-nodes"));

        var flags = Load(new NodeSettings { Role = "coordinator", Host = "10.0.0.5", Port = 0, SeedNodes = ["akka.tcp://gmm@10.0.0.1:4053"] }, environment);
        Assert.Equal("10.0.0.5", flags.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal("0.0.0.0", flags.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(0, flags.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://gmm@10.0.0.1:4053"], flags.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void The_host_binds_itself_unless_a_bind_host_is_given()
    {
        var config = Load(new NodeSettings { Role = "worker", Host = "10.1.2.3" });
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
    public void The_resolver_keeps_the_oldest_member_counting_every_role_and_never_downs_all_when_unstable()
    {
        // keep-oldest without a role: the oldest member is a long-lived worker, and a coordinator on its side breaks
        // the tie when one of two workers dies (see docs/cluster.md, "Membership, downing and timings").
        var config = Load(new NodeSettings { Role = ClusterConfig.WorkerRole });
        Assert.Equal("keep-oldest", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.True(config.GetBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
        Assert.Equal("", config.GetString("akka.cluster.split-brain-resolver.keep-oldest.role"));
        Assert.Equal("off", config.GetString("akka.cluster.split-brain-resolver.down-all-when-unstable"));
        // A dead coordinator is downed by the workers before the resolver's own decision would come.
        Assert.True(ClusterConfig.Duration(config, "coordinator-down-after", TimeSpan.Zero)
            < config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }
}
