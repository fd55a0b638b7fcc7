using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Tests;

/// <summary>A source that behaves as <c>inner</c> except where a test overrides <see cref="Read"/>.</summary>
internal abstract class SourceDecorator(IShardSource inner) : IShardSource
{
    public int ShardCount => inner.ShardCount;
    public int Dimensions => inner.Dimensions;
    public IReadOnlyList<string> Columns => inner.Columns;
    public long TotalRows => inner.TotalRows;
    public int RowsIn(int shardId) => inner.RowsIn(shardId);
    public virtual RowBlock Read(int shardId) => inner.Read(shardId);
}
