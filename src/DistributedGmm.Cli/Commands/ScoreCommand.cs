using System.CommandLine;
using System.Globalization;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;
using Spectre.Console;

namespace DistributedGmm.Cli.Commands;

/// <summary><c>gmm score DATA... --model FILE</c>: the model's log-likelihood of the data, with BIC and AIC on it.</summary>
internal static class ScoreCommand
{
    /// <param name="Samples">Rows scored, or with a weight column Σ w_i (the n of BIC).</param>
    public sealed record Score(double Samples, long SkippedRows, double LogLikelihood, long FreeParameters, long Rows)
    {
        public double MeanLogLikelihood => Samples > 0 ? LogLikelihood / Samples : double.NaN;
        public double Bic => ModelSelection.Bic(LogLikelihood, Samples, FreeParameters);
        public double Aic => ModelSelection.Aic(LogLikelihood, FreeParameters);
    }

    public static Command Create()
    {
        var data = CliOptions.Data();
        var model = CliOptions.Model();
        var columns = CliOptions.ModelColumns();
        var onInvalid = CliOptions.OnInvalid();
        var weightColumn = CliOptions.WeightColumn("the log-likelihood, n, BIC and AIC are weighted sums");
        var shardRows = CliOptions.ShardRows();
        var workers = CliOptions.Workers();
        var json = CliOptions.Json("n, the log-likelihood, BIC and AIC");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No warnings on stderr (errors still)" };
        var cluster = new CoordinatorOptions();
        var command = new Command("score", "Log-likelihood, BIC and AIC of a model on data (scikit-learn's score, bic, aic)")
            { data, model, columns, weightColumn, onInvalid, shardRows, workers, json, quiet };
        cluster.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var modelPath = r.GetValue(model)!;
            var fitted = ModelStorage.Read(modelPath);
            var request = new DataRequest(r.GetValue(data)!, CliOptions.ColumnsForModel(CliOptions.ParseColumns(r.GetValue(columns)), fitted, modelPath),
                CliOptions.ParseOnInvalid(r.GetValue(onInvalid)!), r.GetValue(shardRows), r.GetValue(weightColumn));
            var threads = r.GetValue(workers);
            CliOptions.RequireWorkers(threads);
            var score = await ComputeAsync(request.Discover(), fitted.Mixture, new RuntimeOptions(threads, null, cluster.Run(r)), ct);
            if (score.Samples == 0 && score.Rows > 0)
                throw new DataException($"nothing to score: every one of the {score.Rows:N0} rows has weight 0 in column \"{request.WeightColumn}\"");
            if (score.Samples == 0)
                throw new DataException($"no row to score: all {score.SkippedRows:N0} rows have a null, NaN or infinite value in a feature column and were skipped");
            if (!r.GetValue(quiet)) ErrorReport.WarnSkipped(score.SkippedRows);
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteString("model", modelPath);
                    w.WriteNumber("n_samples", score.Samples);
                    w.WriteNumber("skipped_rows", score.SkippedRows);
                    JsonOut.Likelihood(w, score.LogLikelihood, score.MeanLogLikelihood, score.Bic, score.Aic);
                });
            }
            else
            {
                var grid = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
                grid.AddRow("n", Invariant($"{score.Samples:#,0.######}"));
                grid.AddRow("log-likelihood", Invariant($"{score.LogLikelihood:F4}"));
                grid.AddRow("mean log-likelihood", Invariant($"{score.MeanLogLikelihood:F6}"));
                grid.AddRow("BIC", Invariant($"{score.Bic:F2}"));
                grid.AddRow("AIC", Invariant($"{score.Aic:F2}"));
                AnsiConsole.Write(grid);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Scores every shard on the runtime (embedded or cluster) and adds the totals up in the fit's fixed order (shards
    /// in a group, then groups), so the result depends neither on timing nor on where shards were computed.
    /// </summary>
    public static async Task<Score> ComputeAsync(Dataset dataset, GaussianMixture mixture, RuntimeOptions runtime, CancellationToken cancellationToken)
    {
        using var engine = new FitEngine(dataset, runtime);
        var result = await engine.ScoreAsync(mixture, cancellationToken);
        return new Score(result.Samples, engine.SkippedRows(result), result.LogLikelihood, mixture.FreeParameters, result.Rows);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
