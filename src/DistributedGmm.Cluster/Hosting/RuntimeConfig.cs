using Akka.Configuration;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// The runtime's HOCON, in one place: the binary serializer bound to every protocol message, no fallback to the
/// default serializer for anything unbound, quiet logging. The multi-node host layers remoting and cluster
/// settings over <see cref="Base"/>.
/// </summary>
public static class RuntimeConfig
{
    public const string BaseHocon = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor {
            serializers {
              gmm = "DistributedGmm.Cluster.Serialization.GmmMessageSerializer, DistributedGmm.Cluster"
            }
            serialization-bindings {
              "DistributedGmm.Cluster.Messages.IGmmMessage, DistributedGmm.Cluster" = gmm
            }
            serialization-identifiers {
              "DistributedGmm.Cluster.Serialization.GmmMessageSerializer, DistributedGmm.Cluster" = 731
            }
            serialization-settings.allow-unregistered-types = false
          }
          coordinated-shutdown {
            run-by-clr-shutdown-hook = off
            exit-clr = off
          }
        }
        """;

    /// <summary>For tests: every message goes through its serializer even inside one process.</summary>
    public const string VerifySerializationHocon = "akka.actor.serialize-messages = on";

    public static Config Base => ConfigurationFactory.ParseString(BaseHocon);

    /// <summary><paramref name="overrides"/> (HOCON, may be null) over the base configuration.</summary>
    public static Config With(string? overrides) =>
        string.IsNullOrWhiteSpace(overrides) ? Base : ConfigurationFactory.ParseString(overrides).WithFallback(Base);
}
