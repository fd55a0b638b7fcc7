using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using Spectre.Console;

namespace DistributedGmm.Cli.Commands;

/// <summary>
/// <c>gmm select DATA... --components 1..10</c>: fits every K and covariance type asked for, prints the BIC table
/// (as mclust), writes the model with the lowest BIC and, on request, a plot of BIC against K.
/// </summary>
internal static class SelectCommand
{
    public sealed record Candidate(CovarianceType Type, int Components, FittedModel? Model, string? Failure)
    {
        public double Bic => Model?.Bic ?? double.NaN;
    }

    public static Command Create()
    {
        var data = CliOptions.Data();
        var components = new Option<string>("--components", "-k") { Description = "Component counts to try: 1..10, 2,4,8 or 1..4,8", Required = true };
        var covariance = new Option<string>("--covariance") { Description = "Covariance types to try, comma-separated", DefaultValueFactory = _ => "full,diag,spherical,tied" };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the best model (lowest BIC)", DefaultValueFactory = _ => "best.json" };
        var plot = new Option<string?>("--plot") { Description = "Also draw BIC against K (one line per covariance type) into this PNG (a path or s3://bucket/key.png)" };
        var json = CliOptions.Json("every candidate's BIC and the best model's summary");
        var overwrite = OutputPath.Overwrite("--out or --plot file");
        var em = new EmOptions();
        var command = new Command("select", "Choose K and the covariance type by BIC: fit every combination, keep the best") { data, components, covariance };
        em.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(plot);
        command.Options.Add(json);
        command.Options.Add(overwrite);
        command.SetAction(async (r, ct) =>
        {
            var outPath = OutputPath.File(r.GetValue(output), "--out", OutputKind.Model, r.GetValue(overwrite));
            var plotPath = r.GetValue(plot) is { } p ? OutputPath.File(p, "--plot", OutputKind.Png, r.GetValue(overwrite)) : null;
            var ks = CliOptions.ParseComponentRange(r.GetValue(components)!);
            var types = CliOptions.ParseCovarianceList(r.GetValue(covariance)!);
            var settings = types.SelectMany(t => ks.Select(k => em.Settings(r, k, t, null))).ToList();
            var runtime = em.Runtime(r);
            var dataset = em.Data(r, data, CliOptions.ParseColumns(r.GetValue(em.Columns))).Discover();
            var quiet = r.GetValue(em.Quiet);
            OutputPath.NotAnInput(outPath, "--out", dataset.Files);
            if (plotPath is not null) OutputPath.NotAnInput(plotPath, "--plot", dataset.Files);

            var clock = Stopwatch.StartNew();
            using var engine = new FitEngine(dataset, runtime);
            engine.EnsureEnoughRows(ks[^1]);
            var candidates = new List<Candidate>();
            foreach (var s in settings)
            {
                ct.ThrowIfCancellationRequested();
                var started = clock.Elapsed;
                Candidate candidate;
                try
                {
                    candidate = new Candidate(s.CovarianceType, s.Components, await engine.FitAsync(s, null, ct), null);
                }
                catch (DegenerateComponentException e)
                {
                    candidate = new Candidate(s.CovarianceType, s.Components, null, e.Message);
                }
                candidates.Add(candidate);
                if (!quiet) Console.Error.WriteLine(ProgressLine(candidate, clock.Elapsed - started, candidates.Count, settings.Count));
            }
            var fitted = candidates.Where(c => c.Model is not null && double.IsFinite(c.Bic)).ToList();
            if (fitted.Count == 0) throw new UsageException($"every fit failed; the first: {candidates[0].Failure}");
            var best = fitted.MinBy(c => c.Bic)!;
            var bestModel = best.Model!;
            // Drawn before anything is written, and the model removed again if the image cannot be written: a failed
            // select leaves neither (README, "Outputs").
            var bicPlot = plotPath is null ? null : new { Path = plotPath, Png = Plots.Bic(candidates.Select(c => (c.Type, c.Components, c.Bic)).ToList(),
                FormattableString.Invariant($"BIC by number of components ({engine.Rows:N0} rows)"), Plots.DefaultWidth, Plots.DefaultHeight) };
            ct.ThrowIfCancellationRequested();
            ModelStorage.Write(outPath, bestModel);
            if (bicPlot is not null)
            {
                try
                {
                    Plots.Write(bicPlot.Path, bicPlot.Png, ct);
                }
                catch
                {
                    ModelStorage.Remove(outPath);
                    throw;
                }
            }
            FitCommand.WarnIfNotConverged(bestModel);
            FitCommand.WarnDegenerate(bestModel);
            var skipped = engine.SkippedRows(bestModel);
            ErrorReport.WarnSkipped(skipped);

            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteStartArray("candidates");
                    foreach (var c in candidates)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("n_components", c.Components);
                        w.WriteString("covariance_type", c.Type.ToName());
                        JsonOut.Number(w, "bic", c.Bic);
                        JsonOut.Number(w, "aic", c.Model?.Aic ?? double.NaN);
                        JsonOut.Number(w, "log_likelihood", c.Model?.LogLikelihood ?? double.NaN);
                        if (c.Model is { } m) { w.WriteNumber("n_iter", m.Iterations); w.WriteBoolean("converged", m.Converged); }
                        if (c.Failure is not null) w.WriteString("error", c.Failure);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartObject("best");
                    ModelReport.WriteSummary(w, bestModel, outPath, skipped);
                    w.WriteEndObject();
                    if (plotPath is not null) w.WriteString("plot", plotPath);
                    w.WriteNumber("seconds", Math.Round(clock.Elapsed.TotalSeconds, 3));
                });
            }
            else
            {
                AnsiConsole.Write(BicTable(candidates, ks, types, best));
                ModelReport.Print(bestModel, $"best by BIC: K = {best.Components}, {best.Type.ToName()}", skipped);
                Console.WriteLine($"best model written to {outPath}" + (plotPath is null ? "" : $"; BIC plot written to {plotPath}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ProgressLine(Candidate c, TimeSpan elapsed, int done, int total)
    {
        var outcome = c.Model is { } m
            ? FormattableString.Invariant($"BIC {m.Bic:F2}, {Plural.Of(m.Iterations, "iteration")}{(m.Converged ? "" : " (not converged)")}")
            : $"failed: {c.Failure}";
        return FormattableString.Invariant($"[{done}/{total}] K = {c.Components}, {c.Type.ToName()}: {outcome}, {elapsed.TotalSeconds:F2} s");
    }

    /// <summary>mclust's table: one row per K, one column per covariance type, the best cell marked.</summary>
    private static Table BicTable(IReadOnlyList<Candidate> candidates, IReadOnlyList<int> ks, IReadOnlyList<CovarianceType> types, Candidate best)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("BIC (lower is better)").AddColumn(new TableColumn("K").RightAligned());
        foreach (var t in types) table.AddColumn(new TableColumn(t.ToName()).RightAligned());
        foreach (var k in ks)
        {
            var cells = new List<string> { k.ToString(CultureInfo.InvariantCulture) };
            foreach (var t in types)
            {
                var c = candidates.First(x => x.Components == k && x.Type == t);
                cells.Add(c == best ? $"[bold green]{c.Bic.ToString("F2", CultureInfo.InvariantCulture)} *[/]"
                    : c.Model is null ? "[red]failed[/]" : c.Bic.ToString("F2", CultureInfo.InvariantCulture));
            }
            table.AddRow(cells.ToArray());
        }
        return table;
    }
}
