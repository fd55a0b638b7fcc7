using System.CommandLine;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;

namespace DistributedGmm.Cli.Commands;

/// <summary><c>gmm predict DATA... --model FILE --out DIR</c>: each input file again, with prediction, log_likelihood and prob_k columns.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var data = CliOptions.Data();
        var model = CliOptions.Model();
        var output = new Option<string>("--out", "-o") { Description = "Folder for the output files (one per input file, same relative path)", Required = true };
        var columns = CliOptions.ModelColumns();
        var onInvalid = CliOptions.OnInvalid();
        var shardRows = CliOptions.ShardRows();
        var json = CliOptions.Json("the files written and their columns");
        var cluster = new CoordinatorOptions();
        var command = new Command("predict", "Label rows with their most probable component (predict) and membership probabilities (predict_proba)")
            { data, model, output, columns, onInvalid, shardRows, json };
        cluster.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var modelPath = r.GetValue(model)!;
            var outDir = r.GetValue(output)!;
            if (File.Exists(outDir)) throw new UsageException($"--out {outDir} is a file; give a folder");
            var fitted = ModelFile.Read(modelPath);
            var request = new DataRequest(r.GetValue(data)!, CliOptions.ColumnsForModel(CliOptions.ParseColumns(r.GetValue(columns)), fitted, modelPath),
                CliOptions.ParseOnInvalid(r.GetValue(onInvalid)!), r.GetValue(shardRows));
            var dataset = request.Discover();
            IReadOnlyList<string> outputs = dataset.RelativePaths.Select(p => Path.GetFullPath(Path.Combine(outDir, p))).ToArray();
            foreach (var target in outputs) OutputPath.NotAnInput(target, "--out", dataset.Files);
            if (cluster.Run(r) is { } run)
            {
                using var engine = new FitEngine(dataset, new RuntimeOptions(1, null, run));
                await engine.PredictAsync(fitted.Mixture, outputs, ct);
            }
            else
            {
                var scorer = new MixtureScorer(fitted.Mixture);
                outputs = await Task.Run(() => PredictionWriter.WriteAll(dataset, fitted.Mixture.Components,
                    (block, ll, probabilities, labels) => scorer.Score(block, ll, probabilities, labels), outDir, ct), ct);
            }
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteString("model", modelPath);
                    w.WriteString("out", outDir);
                    w.WriteNumber("rows", dataset.TotalRows);
                    JsonOut.Strings(w, "feature_columns", dataset.Columns);
                    JsonOut.Strings(w, "files", outputs);
                });
                return ExitCodes.Success;
            }
            Console.WriteLine($"wrote {outputs.Count} file(s) to {outDir} with columns {string.Join(", ", dataset.Columns)}, " +
                $"{PredictionWriter.PredictionColumn}, {PredictionWriter.LogLikelihoodColumn}, {PredictionWriter.ProbabilityColumn(0)}…{PredictionWriter.ProbabilityColumn(fitted.Mixture.Components - 1)}");
            foreach (var path in outputs) Console.WriteLine($"  {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
