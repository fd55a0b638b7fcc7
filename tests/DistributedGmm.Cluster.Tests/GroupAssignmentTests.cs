using DistributedGmm.Cluster.Coordination;

namespace DistributedGmm.Cluster.Tests;

public class GroupAssignmentTests
{
    [Fact]
    public void Groups_are_dealt_in_contiguous_runs_balanced_by_rows_and_a_lost_workers_groups_are_spread()
    {
        var assignment = new GroupAssignment<string>([100, 100, 100, 100, 100, 50]);
        assignment.Distribute(["a", "b", "c"]);
        Assert.Equal([0, 1], assignment.GroupsOf("a"));
        Assert.Equal([2, 3], assignment.GroupsOf("b"));
        Assert.Equal([4, 5], assignment.GroupsOf("c"));
        assignment.Forget("b");
        assignment.Reassign(2, ["a", "c"]);
        assignment.Reassign(3, ["a", "c"]);
        Assert.Equal([0, 1, 3], assignment.GroupsOf("a"));
        Assert.Equal([2, 4, 5], assignment.GroupsOf("c"));
        Assert.Empty(assignment.GroupsOf("b"));
    }
}
