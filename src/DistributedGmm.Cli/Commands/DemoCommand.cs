using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;

namespace DistributedGmm.Cli.Commands;

/// <summary>
/// <c>gmm demo</c>: the README's first command. Generates the classic seed example and a larger synthetic mixture,
/// fits both on the embedded runtime, prints each model and writes the figures, saying where everything went.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the demo's data, models and figures (default: a new temporary folder)" };
        var rows = new Option<long>("--rows") { Description = "Rows of the synthetic mixture", DefaultValueFactory = _ => 200_000 };
        var workers = CliOptions.Workers();
        var quiet = CliOptions.Quiet();
        var json = CliOptions.Json("the folder and the files written (instead of the models' tables)");
        var command = new Command("demo", "Generate example data, fit it, print the models and draw them: a tour in one command")
            { output, rows, workers, quiet, json };
        command.SetAction(async (r, ct) =>
        {
            var dir = r.GetValue(output) ?? Path.Combine(Path.GetTempPath(), $"gmm-demo-{DateTime.Now:yyyyMMdd-HHmmss}");
            OutputPath.Resolve(Path.Combine(dir, "seed-example.model.json"), "--out");
            if (File.Exists(dir)) throw new UsageException($"--out {dir} is a file; give a folder");
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new UsageException($"--out {dir} is not empty; give a new or empty folder (or no --out for a new temporary one)");
            var n = r.GetValue(rows);
            if (n < 1000) throw new UsageException($"--rows must be at least 1000, got {n}");
            var runtime = new RuntimeOptions(r.GetValue(workers), null);
            CliOptions.RequireWorkers(runtime.Workers);
            var created = !Directory.Exists(dir);
            try
            {
                return await RunAsync(dir, n, runtime, r.GetValue(quiet), r.GetValue(json), ct);
            }
            catch
            {
                RemoveAll(dir, created);
                throw;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string dir, long n, RuntimeOptions runtime, bool quiet, bool asJson, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var say = asJson ? (Action<string>)(_ => { }) : Console.WriteLine;
        say($"gmm demo: writing into {dir}");

        // 1. The classic EM notebook's data: 100 points, two clusters at very different scales.
        var seedFile = SyntheticData.SeedExample(Path.Combine(dir, "seed-example"), seed: 0);
        var written = await FitAndDrawAsync("seed-example", [seedFile], dir, new FitSettings { Components = 2 }, runtime, quiet, asJson, ct);

        // 2. A larger mixture with a known truth, in several files and row groups.
        var synthetic = Path.Combine(dir, "synthetic");
        var truth = await SyntheticData.GenerateAsync(new GeneratorOptions
        {
            Rows = n, Dimensions = 2, Components = 4, Files = 4, RowGroupRows = 50_000, Separation = 4, Seed = 42,
        }, synthetic, ct);
        say(string.Create(CultureInfo.InvariantCulture,
            $"generated {n:N0} rows from {truth.Mixture.Components} components into {synthetic} (true model: {Path.Combine(synthetic, SyntheticData.TruthFileName)})"));
        written.AddRange(await FitAndDrawAsync("synthetic", [synthetic], dir, new FitSettings { Components = 4, Seed = 1 }, runtime, quiet, asJson, ct));

        if (asJson)
        {
            JsonOut.Write(w =>
            {
                w.WriteString("out", dir);
                JsonOut.Strings(w, "files", written);
                w.WriteNumber("seconds", Math.Round(clock.Elapsed.TotalSeconds, 3));
            });
            return ExitCodes.Success;
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:F1} s. Files written:"));
        foreach (var path in written) Console.WriteLine($"  {path}");
        Console.WriteLine($"Next: gmm fit {synthetic} --components 4, gmm select {synthetic} --components 1..8 --plot bic.png");
        return ExitCodes.Success;
    }

    /// <summary>After a failure or cancellation: the folder was new or empty, so everything in it is the demo's; says what could not be removed.</summary>
    private static void RemoveAll(string dir, bool created)
    {
        try
        {
            if (!Directory.Exists(dir)) return;
            if (created)
            {
                Directory.Delete(dir, recursive: true);
                return;
            }
            foreach (var sub in Directory.GetDirectories(dir)) Directory.Delete(sub, recursive: true);
            foreach (var file in Directory.GetFiles(dir)) File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ErrorReport.Warning($"could not remove everything the demo wrote in {dir}: {e.Message}");
        }
    }

    private static async Task<List<string>> FitAndDrawAsync(string name, IReadOnlyList<string> inputs, string dir, FitSettings settings,
        RuntimeOptions runtime, bool quiet, bool asJson, CancellationToken ct)
    {
        var dataset = new DataRequest(inputs, null, InvalidValuePolicy.Error, DataOptions.DefaultShardRows).Discover();
        var (model, _) = await FitCommand.RunAsync(dataset, settings, runtime, quiet, ct);
        var modelPath = Path.Combine(dir, $"{name}.model.json");
        var figure = Path.Combine(dir, $"{name}.png");
        var convergence = Path.Combine(dir, $"{name}-convergence.png");
        ModelFile.Write(modelPath, model);
        if (!asJson) ModelReport.Print(model, $"{name}: {model.Mixture.Components} components, fitted to {dataset.TotalRows:N0} rows");
        try
        {
            PlotCommand.DrawMixture(dataset, model, null, null, figure, PlotCommand.DefaultMaxPoints, Plots.DefaultWidth, Plots.DefaultHeight, ct);
            Plots.History(convergence, model.LogLikelihoodHistory, PlotCommand.HistoryTitle(model), Plots.DefaultWidth, Plots.DefaultHeight, ct);
        }
        catch (MissingFontException e)
        {
            // The demo's fits and tables still stand on a machine without fonts; only the pictures are skipped.
            ErrorReport.Warning($"no plots for {name}: {e.Message}");
            return [modelPath];
        }
        return [modelPath, figure, convergence];
    }
}
