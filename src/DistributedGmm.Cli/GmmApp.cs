using System.CommandLine;
using System.Runtime.InteropServices;
using DistributedGmm.Cli.Commands;

namespace DistributedGmm.Cli;

/// <summary>The <c>gmm</c> command tree, its exit codes, and Ctrl+C/SIGTERM handling.</summary>
internal static class GmmApp
{
    /// <summary>Every command's: the S3-compatible endpoint for s3:// paths, overriding AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL.</summary>
    public static readonly Option<string?> S3Endpoint = new("--s3-endpoint")
    {
        Recursive = true,
        Description = "S3-compatible endpoint URL for s3:// paths (MinIO, Ceph …), addressed path-style; default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS S3",
    };

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("gmm: Gaussian mixture models fitted by EM to Parquet data, on one machine or an Akka.NET cluster");
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(SelectCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Options.Add(S3Endpoint);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // Redirected, Spectre.Console assumes 80 columns and wraps tables of wider data; logs are read wider.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 120;
        var root = CreateRoot();
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        var usageError = ParseErrors.FirstMessage(parse);
        if (usageError is not null)
        {
            ErrorReport.Error($"{usageError} (see 'gmm {parse.CommandResult.Command.Name} --help')".Replace("gmm gmm", "gmm"));
            return ExitCodes.Usage;
        }

        DistributedGmm.Data.ObjectStorage.ObjectStores.UseEndpoint(parse.GetValue(S3Endpoint));
        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // The first signal asks the command to stop cleanly; a second one ends the process at once.
            if (cancel.IsCancellationRequested) return;
            context.Cancel = true;
            Console.Error.WriteLine("gmm: stopping…");
            cancel.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(configuration, cancel.Token);
        }
        catch (Exception e)
        {
            return ErrorReport.Handle(e, cancel.IsCancellationRequested);
        }
    }
}
