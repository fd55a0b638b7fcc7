using System.CommandLine;

namespace DistributedGmm.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create() => new("generate", "TODO");
}
