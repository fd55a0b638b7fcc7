using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;

namespace DistributedGmm.Cli.Commands;

/// <summary><c>gmm fit DATA... --components K</c>: EM on the embedded runtime (or a cluster with <c>--cluster</c>), the model written atomically.</summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var data = CliOptions.Data();
        var components = new Option<int?>("--components", "-k") { Description = "Number of mixture components (default: the --init-model's)" };
        var covariance = new Option<string?>("--covariance") { Description = "Covariance type: full (default), diag, spherical or tied" };
        var initModel = new Option<string?>("--init-model") { Description = "Start from this model file's weights, means and covariances (like scikit-learn's weights_init/means_init/precisions_init)" };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the model file", DefaultValueFactory = _ => "model.json" };
        var json = CliOptions.Json("the fitted model's summary");
        var overwrite = OutputPath.Overwrite("--out file");
        var checkpointDir = new Option<string?>("--checkpoint") { Description = "After every iteration, write the fit's state to DIR/checkpoint.json (atomically), so that --resume can continue it" };
        var resume = new Option<bool>("--resume") { Description = "Continue the fit checkpointed in --checkpoint DIR (same data and settings); ends with the model an uninterrupted fit writes" };
        var em = new EmOptions();
        var cluster = new CoordinatorOptions();
        var command = new Command("fit", "Fit a Gaussian mixture by EM to Parquet data and write the model file") { data, components, covariance, initModel };
        em.AddTo(command);
        cluster.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.Options.Add(checkpointDir);
        command.Options.Add(resume);
        command.Options.Add(overwrite);
        command.SetAction(async (r, ct) =>
        {
            var outPath = OutputPath.File(r.GetValue(output), "--out", OutputKind.Model, r.GetValue(overwrite));
            var startPath = r.GetValue(initModel);
            var start = startPath is null ? null : ModelStorage.Read(startPath);
            var asked = CliOptions.ParseColumns(r.GetValue(em.Columns));
            var columns = start is null ? asked : CliOptions.ColumnsForModel(asked, start, startPath!);
            var k = r.GetValue(components) ?? start?.Mixture.Components
                ?? throw new UsageException("--components is required (or give --init-model)");
            var type = r.GetValue(covariance) is { } name ? CliOptions.ParseCovariance(name) : start?.Mixture.CovarianceType ?? CovarianceType.Full;
            var settings = em.Settings(r, k, type, start?.Mixture);
            var runtime = em.Runtime(r) with { Cluster = cluster.Run(r) };
            var request = em.Data(r, data, columns);
            var dataset = request.Discover();
            OutputPath.NotAnInput(outPath, "--out", startPath is null ? dataset.Files : [.. dataset.Files, startPath]);
            var checkpoint = Checkpointing.Open(r.GetValue(checkpointDir), r.GetValue(resume), settings, dataset);

            var clock = Stopwatch.StartNew();
            var (model, skipped) = await RunAsync(dataset, settings, runtime, r.GetValue(em.Quiet), ct, checkpoint);
            ModelStorage.Write(outPath, model);
            WarnIfNotConverged(model);

            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    ModelReport.WriteSummary(w, model, outPath, skipped);
                    w.WriteNumber("seconds", Math.Round(clock.Elapsed.TotalSeconds, 3));
                });
            }
            else
            {
                ModelReport.Print(model, $"Gaussian mixture, {k} components", skipped);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model written to {outPath} ({clock.Elapsed.TotalSeconds:F1} s)"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads the data, fits with the progress display, and warns about skipped rows; the caller writes the model.</summary>
    public static async Task<(FittedModel Model, long SkippedRows)> RunAsync(Dataset dataset, FitSettings settings, RuntimeOptions runtime,
        bool quiet, CancellationToken ct, Checkpointing? checkpoint = null)
    {
        using var engine = new FitEngine(dataset, runtime);
        engine.EnsureEnoughRows(settings.Components);
        var title = string.Create(CultureInfo.InvariantCulture,
            $"fitting {Plural.Of(settings.Components, settings.CovarianceType.ToName() + " component")} to {engine.Rows:N0} rows × {Plural.Of(dataset.Dimensions, "column")} ({string.Join(", ", dataset.Columns)}){(dataset.WeightColumn is { } weight ? $" weighted by {weight}" : "")} in {Plural.Of(dataset.Shards.Count, "shard")}{(settings.Prior is null ? "" : ", MAP under a conjugate prior")}");
        var model = await ProgressDisplay.RunAsync(ProgressDisplay.Choose(quiet), title, (progress, status) => engine.FitAsync(settings, progress, checkpoint, ct, status));
        ct.ThrowIfCancellationRequested();
        var skipped = engine.SkippedRows(model);
        ErrorReport.WarnSkipped(skipped);
        WarnDegenerate(model);
        return (model, skipped);
    }

    /// <summary>One warning per component reseeded or dropped (<c>--on-degenerate</c>); the model file lists them too.</summary>
    public static void WarnDegenerate(FittedModel model)
    {
        foreach (var e in model.DegenerateEvents)
            ErrorReport.Warning(string.Create(CultureInfo.InvariantCulture,
                $"iteration {e.Iteration}: component {e.Component} collapsed (its covariance is not positive definite) and was {(e.Action == Core.Estimation.DegeneratePolicy.Drop ? "dropped" : "reseeded at the row of lowest log-likelihood")}"));
    }

    public static void WarnIfNotConverged(FittedModel model)
    {
        if (model.Converged) return;
        var tol = model.Settings?.Tol ?? double.NaN;
        ErrorReport.Warning(string.Create(CultureInfo.InvariantCulture,
            $"EM did not converge in {Plural.Of(model.Iterations, "iteration")} (tol {tol:G3}); the model was written with \"converged\": false. Try a larger --max-iter."));
    }
}
