using System.CommandLine;

namespace DistributedGmm.Cli.Commands;

internal static class PredictCommand
{
    public static Command Create() => new("predict", "TODO");
}
