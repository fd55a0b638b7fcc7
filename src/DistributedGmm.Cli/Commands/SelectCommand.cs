using System.CommandLine;

namespace DistributedGmm.Cli.Commands;

internal static class SelectCommand
{
    public static Command Create() => new("select", "TODO");
}
