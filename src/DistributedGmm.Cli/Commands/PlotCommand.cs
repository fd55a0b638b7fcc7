using System.CommandLine;

namespace DistributedGmm.Cli.Commands;

internal static class PlotCommand
{
    public static Command Create() => new("plot", "TODO");
}
