namespace DistributedGmm.Data; internal static class Placeholder {}
