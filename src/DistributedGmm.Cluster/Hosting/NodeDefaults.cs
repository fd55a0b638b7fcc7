using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Remote.Hosting;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// The Akka settings every gmm cluster node starts from, in one place (the runtime's own <c>gmm</c> keys are
/// <see cref="GmmSettings"/>); <c>config/gmm.conf</c> (or <c>--config</c>) overrides
/// them, flags and environment variables override the file (docs/cluster.md, "Configuration").
/// </summary>
public static class NodeDefaults
{
    /// <summary>Loopback and any free port until told otherwise; frames and buffers sized for the gmm serializer.</summary>
    public static RemoteOptions Remote => new()
    {
        // Bind only to the given host; 0.0.0.0 only when asked (--bind-host), with hostname as the public name.
        HostName = "127.0.0.1",
        Port = 0,
        // Explicit: the gmm serializer refuses frames over MaxFrameBytes, so every message fits with room to spare.
        MaxFrameSize = 256_000,
        SendBufferSize = 512_000,
        ReceiveBufferSize = 512_000,
    };

    /// <summary>
    /// Unreachable = no heartbeat for about acceptable-heartbeat-pause: long enough that a saturated machine's late
    /// heartbeats are not taken for a dead node, short enough that a killed worker's groups move on within seconds
    /// (the coordinator reacts to UnreachableMember at once; it does not wait for downing).
    /// <para>
    /// Workers are long-lived, coordinators are batch jobs that come and go. keep-oldest keeps the side holding the
    /// oldest member, and the oldest member is a worker (workers are up before any coordinator joins), so:
    /// a coordinator that is killed or stopped is on the other side of every worker and is downed, never a worker;
    /// a killed worker is downed, and the coordinator and the other workers stay: keep-oldest needs no majority, so
    /// 2 workers + 1 coordinator losing one worker is no 1-vs-1 tie (keep-majority by role "worker" would keep the
    /// lowest address, which may be the dead one, and down the survivor and the coordinator with it);
    /// down-if-alone: when the oldest worker itself dies (or is paused), the others down it instead of themselves,
    /// and a resumed node finding itself alone downs itself (its node then joins again);
    /// no role: with role "worker", 2 workers losing the oldest is 1 vs 1 again, and down-if-alone then keeps the
    /// dead one; counting coordinators breaks that tie in favour of the living.
    /// </para>
    /// </summary>
    public static ClusterOptions Cluster => new()
    {
        FailureDetector = new PhiAccrualFailureDetectorOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            AcceptableHeartbeatPause = TimeSpan.FromSeconds(5),
            Threshold = 10.0,
        },
        SplitBrainResolver = new KeepOldestOption { DownIfAlone = true },
    };

    /// <summary>What Akka.Hosting has no typed option for.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString("""
        akka {
          # Heartbeats, gossip and remoting run on threads of their own: a worker's E-step fills the .NET thread pool,
          # and heartbeats queued behind it would look like a dead node to the failure detector.
          actor.internal-dispatcher.executor = fork-join-executor
          actor.internal-dispatcher.fork-join-executor { parallelism-min = 2, parallelism-factor = 1.0, parallelism-max = 4 }
          remote.default-remote-dispatcher.executor = fork-join-executor

          # A peer that ends (a finished job) is normal: its disassociation is not logged as an error.
          remote.log-remote-lifecycle-events = off

          # SO_REUSEADDR stays on so a restarted node can bind its port while old connections linger in TIME_WAIT;
          # on Linux .NET also sets SO_REUSEPORT with it, so a second node on a busy port would listen too: gmm
          # probes the port without SO_REUSEPORT before it starts a node and refuses a port in use (ListenAddress).
          remote.dot-netty.tcp.tcp-reuse-addr = on

          # No pooled network buffers: the pool's arenas (16 MiB slabs) are touched a little more with every job and
          # never handed back, so a long-lived worker node's memory would creep up job after job. Our traffic is
          # heartbeats, gossip and one statistics message per shard group and iteration: fresh buffers cost nothing.
          remote.dot-netty.tcp.enable-pooling = off

          cluster {
            # The resolver's role is unset (every role counts): see NodeDefaults.Cluster.
            # stable-after: downing waits for this long without reachability changes, so a heartbeat gap that heals
            # (load) never downs anybody. Dead coordinators are downed sooner by the workers (gmm.coordinator-down-after).
            # down-all-when-unstable off: a flapping, loaded machine must not take every long-lived worker down.
            split-brain-resolver {
              stable-after = 7s
              down-all-when-unstable = off
            }
            # Let nodes join while another is unreachable (before the resolver has downed it).
            allow-weakly-up-members = 3s
          }

          # A coordinator leaves and waits until it is removed; leaving cannot finish while a member is unreachable
          # (until it is downed: a killed coordinator by the workers after gmm.coordinator-down-after, a worker by the
          # resolver after stable-after), so the bound covers a failure detection plus either, with room for a loaded
          # machine. Shorter, a coordinator that leaves just after another was killed exits before it is removed and
          # is downed in turn.
          coordinated-shutdown.phases.cluster-leave.timeout = 25s
          coordinated-shutdown.phases.cluster-exiting.timeout = 20s
        }
        """);
}
