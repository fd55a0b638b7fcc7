using System.CommandLine;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;

namespace DistributedGmm.Cli.Commands;

/// <summary>
/// <c>gmm plot DATA... --model FILE --out figure.png</c>: data and components for two columns;
/// <c>gmm plot --model FILE --history --out convergence.png</c>: the log-likelihood per iteration.
/// </summary>
internal static class PlotCommand
{
    public const int DefaultMaxPoints = 20_000;

    public static Command Create()
    {
        var data = CliOptions.Data(required: false);
        var model = CliOptions.Model();
        var output = new Option<string>("--out", "-o") { Description = "The PNG file to write (a path or s3://bucket/key.png)", Required = true };
        var x = new Option<string?>("--x") { Description = "Column on the horizontal axis (default: the model's first)" };
        var y = new Option<string?>("--y") { Description = "Column on the vertical axis (default: the model's second)" };
        var history = new Option<bool>("--history") { Description = "Plot the log-likelihood per iteration instead (needs no data)" };
        var maxPoints = new Option<int>("--max-points") { Description = "Most data points drawn (an even, deterministic subsample)", DefaultValueFactory = _ => DefaultMaxPoints };
        var width = new Option<int>("--width") { Description = "Image width in pixels", DefaultValueFactory = _ => Plots.DefaultWidth };
        var height = new Option<int>("--height") { Description = "Image height in pixels", DefaultValueFactory = _ => Plots.DefaultHeight };
        var onInvalid = CliOptions.OnInvalid();
        var overwrite = OutputPath.Overwrite("--out file");
        var json = CliOptions.Json("the figure written");
        var command = new Command("plot", "Draw the data with each component's mean and 1σ/2σ ellipses, or the convergence history, as a PNG")
            { data, model, output, x, y, history, maxPoints, width, height, onInvalid, overwrite, json };
        command.SetAction((r, ct) =>
        {
            var outPath = OutputPath.File(r.GetValue(output), "--out", OutputKind.Png, r.GetValue(overwrite));
            var (w, h) = (r.GetValue(width), r.GetValue(height));
            Plots.CheckSize(w, h);
            var modelPath = r.GetValue(model)!;
            OutputPath.NotAnInput(outPath, "--out", [modelPath]);
            var fitted = ModelStorage.Read(modelPath);
            var inputs = r.GetValue(data) ?? [];
            if (r.GetValue(history))
            {
                if (inputs.Length > 0) throw new UsageException("--history plots the model's convergence and reads no data; drop the DATA arguments");
                if (fitted.LogLikelihoodHistory.Count == 0) throw new UsageException($"{modelPath}: the model file holds no log-likelihood history");
                Plots.History(outPath, fitted.LogLikelihoodHistory, HistoryTitle(fitted), w, h, ct);
            }
            else
            {
                if (inputs.Length == 0) throw new UsageException("give the DATA to plot, or --history to plot the convergence");
                var points = r.GetValue(maxPoints);
                CliOptions.RequirePositive(points, "--max-points");
                var request = new DataRequest(inputs, fitted.Columns, CliOptions.ParseOnInvalid(r.GetValue(onInvalid)!), DataOptions.DefaultShardRows);
                var dataset = request.Discover();
                OutputPath.NotAnInput(outPath, "--out", dataset.Files);
                DrawMixture(dataset, fitted, r.GetValue(x), r.GetValue(y), outPath, points, w, h, ct);
            }
            if (r.GetValue(json))
                JsonOut.Write(j =>
                {
                    j.WriteString("model", modelPath);
                    j.WriteString("out", outPath);
                    j.WriteString("kind", r.GetValue(history) ? "history" : "mixture");
                    j.WriteNumber("width", w);
                    j.WriteNumber("height", h);
                });
            else Console.WriteLine($"wrote {outPath} ({w}×{h})");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    public static string HistoryTitle(FittedModel model) =>
        $"EM convergence: K = {model.Mixture.Components}, {model.Mixture.CovarianceType.ToName()}, {Plural.Of(model.Iterations, "iteration")}" +
        (model.Converged ? "" : " (not converged)");

    public static void DrawMixture(Dataset dataset, FittedModel model, string? xName, string? yName, string outPath,
        int maxPoints, int width, int height, CancellationToken cancellationToken)
    {
        var columns = model.Columns;
        if (columns.Count < 2) throw new UsageException("the model has one column: a scatter plot needs two (try --history)");
        var xi = ColumnIndex(columns, xName ?? columns[0], "--x");
        var yi = ColumnIndex(columns, yName ?? columns[1], "--y");
        if (xi == yi) throw new UsageException($"--x and --y are both {columns[xi]}");
        var points = Subsample(dataset, model.Mixture, xi, yi, maxPoints, cancellationToken);
        var title = FormattableString.Invariant(
            $"Gaussian mixture: K = {model.Mixture.Components}, {model.Mixture.CovarianceType.ToName()} ({points.X.Length:N0} of {dataset.TotalRows:N0} rows)");
        Plots.Mixture(outPath, points, model.Mixture, xi, yi, columns[xi], columns[yi], title, width, height, cancellationToken);
    }

    private static int ColumnIndex(IReadOnlyList<string> columns, string name, string option)
    {
        for (var i = 0; i < columns.Count; i++) if (columns[i] == name) return i;
        throw new UsageException($"{option} {name} is not one of the model's columns ({string.Join(", ", columns)})");
    }

    /// <summary>
    /// Every s-th row, s = ⌈rows / maxPoints⌉, counted over the whole dataset in shard order: the same points every time,
    /// spread over all files. Each point is labelled with its most probable component.
    /// </summary>
    public static Plots.Points Subsample(Dataset dataset, GaussianMixture mixture, int xColumn, int yColumn, int maxPoints, CancellationToken cancellationToken)
    {
        var stride = Math.Max(1, (dataset.TotalRows + maxPoints - 1) / maxPoints);
        var firstRow = new long[dataset.Shards.Count];
        for (var i = 1; i < firstRow.Length; i++) firstRow[i] = firstRow[i - 1] + dataset.Shards[i - 1].Rows;
        var perShard = new RowBlock[dataset.Shards.Count];
        ShardScan.ForEach(dataset, Environment.ProcessorCount, cancellationToken, shard =>
        {
            var block = shard.Block;
            var start = firstRow[shard.Shard.Index];
            var kept = new List<double>();
            for (var i = 0; i < block.Rows; i++)
                if ((start + i) % stride == 0) kept.AddRange(block.Row(i));
            perShard[shard.Shard.Index] = new RowBlock(kept.ToArray(), kept.Count / block.Dimensions, block.Dimensions);
        });
        var d = mixture.Dimensions;
        var all = perShard.SelectMany(b => b.Span.ToArray()).ToArray();
        var sample = new RowBlock(all, all.Length / d, d);
        var labels = new int[sample.Rows];
        new MixtureScorer(mixture).Score(sample, default, default, labels);
        var xs = new double[sample.Rows];
        var ys = new double[sample.Rows];
        for (var i = 0; i < sample.Rows; i++)
        {
            xs[i] = sample.Values[i * d + xColumn];
            ys[i] = sample.Values[i * d + yColumn];
        }
        return new Plots.Points(xs, ys, labels);
    }
}
