using System.CommandLine;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;
using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Cli.Commands;

/// <summary><c>gmm predict DATA... --model FILE --out DIR</c>: each input file again, its columns as they are, then prediction, log_likelihood and prob_k columns.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var data = CliOptions.Data();
        var model = CliOptions.Model();
        var output = new Option<string>("--out", "-o") { Description = "Folder, or s3://bucket/prefix/, for the output files (one per input file, same relative path)", Required = true };
        var columns = CliOptions.ModelColumns();
        var onInvalid = CliOptions.OnInvalid();
        var weightColumn = CliOptions.WeightColumn("checked like the features (a bad weight is bad input), never a feature; predictions do not depend on it");
        var shardRows = CliOptions.ShardRows();
        var workers = CliOptions.Workers();
        workers.Description = "Files predicted at a time (without --cluster; each worker node predicts one file at a time)";
        var keep = new Option<string?>("--keep-columns") { Description = "Carry only these input columns into the output, in this order, comma-separated (default: every input column)" };
        var dropInputs = new Option<bool>("--drop-input-columns") { Description = "Carry no input column into the output: only prediction, log_likelihood, prob_k" };
        var quiet = CliOptions.Quiet();
        quiet.Description = "No status lines on stderr";
        var json = CliOptions.Json("the files written and their columns");
        var cluster = new CoordinatorOptions();
        var command = new Command("predict", "Label rows with their most probable component (predict) and membership probabilities (predict_proba)")
            { data, model, output, columns, weightColumn, keep, dropInputs, onInvalid, shardRows, workers, quiet, json };
        cluster.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            var modelPath = r.GetValue(model)!;
            var outDir = r.GetValue(output)!;
            var toObjects = ObjectUri.IsObjectUri(outDir);
            var parallelism = r.GetValue(workers);
            CliOptions.RequirePositive(parallelism, "--workers");
            IReadOnlyList<string>? keepColumns = r.GetValue(dropInputs) ? [] : CliOptions.ParseColumns(r.GetValue(keep));
            if (r.GetValue(dropInputs) && r.GetValue(keep) is not null) throw new UsageException("give --keep-columns or --drop-input-columns, not both");
            if (!toObjects && File.Exists(outDir)) throw new UsageException($"--out {outDir} is a file; give a folder");
            var fitted = ModelStorage.Read(modelPath);
            var request = new DataRequest(r.GetValue(data)!, CliOptions.ColumnsForModel(CliOptions.ParseColumns(r.GetValue(columns)), fitted, modelPath),
                CliOptions.ParseOnInvalid(r.GetValue(onInvalid)!), r.GetValue(shardRows), r.GetValue(weightColumn));
            var dataset = request.Discover();
            if (toObjects)
            {
                var written = cluster.Run(r) is { } onCluster
                    ? await PredictToObjectsOnClusterAsync(dataset, fitted.Mixture, outDir, onCluster, keepColumns, r.GetValue(quiet), ct)
                    : await PredictToObjectsAsync(dataset, fitted.Mixture, outDir, parallelism, keepColumns, ct);
                return Report(r.GetValue(json), modelPath, outDir, dataset, keepColumns, written, fitted.Mixture.Components);
            }
            var outputs = PredictionWriter.OutputsOf(dataset, outDir);
            foreach (var target in outputs) OutputPath.NotAnInput(target, "--out", dataset.Files);
            // Temporaries of an earlier run of these outputs that was killed (a SIGKILL leaves them behind).
            RemoveStaleTemporaries(outputs);
            if (cluster.Run(r) is { } run)
            {
                using var engine = new FitEngine(dataset, new RuntimeOptions(1, null, run));
                try
                {
                    await engine.PredictAsync(fitted.Mixture, outputs, ct, r.GetValue(quiet) ? _ => { } : null, keepColumns);
                }
                finally
                {
                    // Those of a worker node killed while it wrote one of them.
                    RemoveStaleTemporaries(outputs);
                }
            }
            else
            {
                var scorer = new MixtureScorer(fitted.Mixture);
                await Task.Run(() => PredictionWriter.WriteAll(dataset, fitted.Mixture.Components,
                    (block, ll, probabilities, labels) => scorer.Score(block, ll, probabilities, labels), outDir, ct, parallelism, keepColumns), ct);
            }
            return Report(r.GetValue(json), modelPath, outDir, dataset, keepColumns, outputs, fitted.Mixture.Components);
        });
        return command;
    }

    private static int Report(bool json, string modelPath, string outDir, Dataset dataset, IReadOnlyList<string>? keepColumns, IReadOnlyList<string> outputs, int components)
    {
        if (json)
        {
            JsonOut.Write(w =>
            {
                w.WriteString("model", modelPath);
                w.WriteString("out", outDir);
                w.WriteNumber("rows", dataset.TotalRows);
                JsonOut.Strings(w, "feature_columns", dataset.Columns);
                if (keepColumns is not null) JsonOut.Strings(w, "input_columns", keepColumns);
                JsonOut.Strings(w, "files", outputs);
            });
            return ExitCodes.Success;
        }
        var inputs = keepColumns is null ? "every input column" : keepColumns.Count == 0 ? "no input column" : string.Join(", ", keepColumns);
        Console.WriteLine($"wrote {outputs.Count} file(s) to {outDir} with columns {inputs}, then " +
            $"{PredictionWriter.PredictionColumn}, {PredictionWriter.LogLikelihoodColumn}, {PredictionWriter.ProbabilityColumn(0)}…{PredictionWriter.ProbabilityColumn(components - 1)}");
        foreach (var path in outputs) Console.WriteLine($"  {(ObjectUri.IsObjectUri(path) ? path : Path.GetRelativePath(Environment.CurrentDirectory, path))}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Predictions to s3://prefix/: written first into a private local folder (as for a local --out), then each
    /// file uploaded whole; a failure or Ctrl+C at any point leaves no object behind (see ObjectTransfer.UploadAllAsync).
    /// </summary>
    private static async Task<IReadOnlyList<string>> PredictToObjectsAsync(Dataset dataset, GaussianMixture mixture, string outDir, int parallelism,
        IReadOnlyList<string>? keepColumns, CancellationToken ct)
    {
        var prefix = outDir.EndsWith('/') ? outDir : outDir + "/";
        await ObjectStores.Default.ExistsAsync(ObjectUri.Parse(prefix), ct); // the bucket and credentials, before the work
        var staging = Directory.CreateTempSubdirectory("gmm-predict-").FullName;
        try
        {
            var scorer = new MixtureScorer(mixture);
            var local = await Task.Run(() => PredictionWriter.WriteAll(dataset, mixture.Components,
                (block, ll, probabilities, labels) => scorer.Score(block, ll, probabilities, labels), staging, ct, parallelism, keepColumns), ct);
            var targets = dataset.RelativePaths.Select(relative => prefix + relative).ToArray();
            await ObjectTransfer.UploadAllAsync(local.Zip(targets).ToArray(), cancellationToken: ct);
            return targets;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Predictions to s3://prefix/ from the worker nodes: each node writes its file into a private local temporary
    /// and uploads it whole; if the job fails or is cancelled, the coordinator removes every object it wrote. At the
    /// end, multipart uploads left open on these keys since the job began (by a node killed mid-upload) are aborted.
    /// </summary>
    private static async Task<IReadOnlyList<string>> PredictToObjectsOnClusterAsync(Dataset dataset, GaussianMixture mixture, string outDir, ClusterRun run,
        IReadOnlyList<string>? keepColumns, bool quiet, CancellationToken ct)
    {
        var prefix = outDir.EndsWith('/') ? outDir : outDir + "/";
        await ObjectStores.Default.ExistsAsync(ObjectUri.Parse(prefix), ct); // the bucket and credentials, before the work
        var targets = dataset.RelativePaths.Select(relative => prefix + relative).ToArray();
        var started = DateTime.UtcNow;
        using var engine = new FitEngine(dataset, new RuntimeOptions(1, null, run));
        try
        {
            await engine.PredictAsync(mixture, targets, ct, quiet ? _ => { } : null, keepColumns);
        }
        finally
        {
            await ObjectStores.Default.AbortOpenUploadsAsync(targets.Select(ObjectUri.Parse).ToArray(), started);
        }
        return targets;
    }

    private static void RemoveStaleTemporaries(IEnumerable<string> outputs)
    {
        foreach (var path in outputs) AtomicFile.RemoveStaleTemporaries(path);
    }
}
