namespace DistributedGmm.Cluster; internal static class Placeholder {}
