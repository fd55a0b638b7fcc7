namespace DistributedGmm.Core; internal static class Placeholder {}
