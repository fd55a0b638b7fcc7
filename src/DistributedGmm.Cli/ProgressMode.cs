
namespace DistributedGmm.Cli;

internal enum ProgressMode
{
    None,
    /// <summary>One plain line per iteration on stderr: for batch jobs, logs and pipes.</summary>
    Plain,
    /// <summary>A live Spectre.Console table on stderr, redrawn in place: for a person at a terminal.</summary>
    Live,
}
