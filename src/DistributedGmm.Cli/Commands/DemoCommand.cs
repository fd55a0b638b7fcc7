using System.CommandLine;

namespace DistributedGmm.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create() => new("demo", "TODO");
}
