namespace DistributedGmm.Cli.Tests.MultiNode;

[CollectionDefinition(nameof(MultiNodeCollection), DisableParallelization = true)]
public sealed class MultiNodeCollection;
