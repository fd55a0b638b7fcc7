using System.Globalization;
using System.Text.Json;
using DistributedGmm.Core.Model;
using Spectre.Console;

namespace DistributedGmm.Cli;

/// <summary>A fitted model for people (a Spectre.Console table on stdout) and for programs (one JSON object).</summary>
internal static class ModelReport
{
    private const int ColumnsShownSeparately = 4;

    public static void Print(FittedModel model, string title, long skippedRows = 0)
    {
        var m = model.Mixture;
        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("samples", Invariant($"{model.Samples:#,0.######}") + (model.WeightColumn is { } weight ? Invariant($" (Σ {weight} over {model.Rows:N0} rows)") : "")
            + (skippedRows > 0 ? Invariant($" ({skippedRows:N0} invalid rows skipped)") : ""));
        facts.AddRow("columns", Markup.Escape(string.Join(", ", model.Columns)));
        facts.AddRow("components", Invariant($"{m.Components} ({m.CovarianceType.ToName()} covariance, {m.FreeParameters} free parameters)"));
        facts.AddRow("iterations", Invariant($"{model.Iterations}") + (model.Passes != model.Iterations ? Invariant($" ({model.Passes} data passes)") : "") + (model.Converged ? " (converged)" : " [yellow](did not converge)[/]"));
        facts.AddRow("log-likelihood", Invariant($"{model.LogLikelihood:G10} (mean {model.MeanLogLikelihood:F6} per sample)"));
        facts.AddRow("BIC / AIC", Invariant($"{model.Bic:F2} / {model.Aic:F2}"));
        if (model.Prior is { } prior)
            facts.AddRow("prior", Invariant($"conjugate (mclust's): shrinkage {prior.Shrinkage:G4}, dof {prior.Dof:G4}; log-likelihood and BIC of the MAP parameters"));
        console.Write(facts);
        console.Write(ComponentTable(model));
    }

    public static Table ComponentTable(FittedModel model)
    {
        var m = model.Mixture;
        var d = m.Dimensions;
        var separate = d <= ColumnsShownSeparately;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("k").RightAligned()).AddColumn(new TableColumn("weight").RightAligned());
        if (separate)
        {
            foreach (var c in model.Columns) table.AddColumn(new TableColumn($"mean {Markup.Escape(c)}").RightAligned());
            foreach (var c in model.Columns) table.AddColumn(new TableColumn($"sd {Markup.Escape(c)}").RightAligned());
        }
        else
        {
            table.AddColumn("mean").AddColumn("sd");
        }
        for (var k = 0; k < m.Components; k++)
        {
            var mean = m.Mean(k).ToArray();
            var covariance = m.CovarianceMatrix(k);
            var sd = Enumerable.Range(0, d).Select(j => Math.Sqrt(covariance[j, j])).ToArray();
            var cells = new List<string> { Invariant($"{k}"), Invariant($"{m.Weights[k]:F4}") };
            if (separate)
            {
                cells.AddRange(mean.Select(Number));
                cells.AddRange(sd.Select(Number));
            }
            else
            {
                cells.Add(Vector(mean));
                cells.Add(Vector(sd));
            }
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>The fitted model's summary: what <c>fit --json</c> prints.</summary>
    public static void WriteSummary(Utf8JsonWriter json, FittedModel model, string? path, long skippedRows)
    {
        var m = model.Mixture;
        if (path is not null) json.WriteString("model", path);
        json.WriteString("covariance_type", m.CovarianceType.ToName());
        json.WriteNumber("n_components", m.Components);
        json.WriteNumber("n_features", m.Dimensions);
        json.WriteStartArray("columns");
        foreach (var c in model.Columns) json.WriteStringValue(c);
        json.WriteEndArray();
        json.WriteNumber("n_samples", model.Samples);
        if (model.WeightColumn is { } weightColumn) json.WriteString("weight_column", weightColumn);
        json.WriteNumber("skipped_rows", skippedRows);
        json.WriteNumber("n_iter", model.Iterations);
        json.WriteNumber("n_passes", model.Passes);
        json.WriteBoolean("converged", model.Converged);
        JsonOut.Likelihood(json, model.LogLikelihood, model.MeanLogLikelihood, model.Bic, model.Aic);
        json.WriteStartArray("weights");
        foreach (var w in m.Weights) json.WriteNumberValue(w);
        json.WriteEndArray();
        json.WriteStartArray("means");
        for (var k = 0; k < m.Components; k++)
        {
            json.WriteStartArray();
            foreach (var v in m.Mean(k)) json.WriteNumberValue(v);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Vector(double[] values) =>
        "(" + string.Join(", ", values.Take(8).Select(Number)) + (values.Length > 8 ? ", …" : "") + ")";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
