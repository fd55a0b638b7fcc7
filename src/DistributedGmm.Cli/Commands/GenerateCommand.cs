using System.CommandLine;
using System.Globalization;
using DistributedGmm.Data;
using Spectre.Console;

namespace DistributedGmm.Cli.Commands;

/// <summary><c>gmm generate --out DIR</c>: synthetic Gaussian-mixture Parquet data with its true model (truth.json).</summary>
internal static class GenerateCommand
{
    public const string SeedExamplePreset = "seed-example";

    public static Command Create()
    {
        var defaults = new GeneratorOptions();
        var output = new Option<string>("--out", "-o") { Description = "Folder to write part-*.parquet and truth.json into", Required = true };
        var rows = new Option<long>("--rows") { Description = "Rows in all files", DefaultValueFactory = _ => defaults.Rows };
        var dims = new Option<int>("--dims") { Description = "Columns (x0, x1, …)", DefaultValueFactory = _ => defaults.Dimensions };
        var components = new Option<int>("--components", "-k") { Description = "Mixture components", DefaultValueFactory = _ => defaults.Components };
        var files = new Option<int>("--files") { Description = "Files to split the rows over", DefaultValueFactory = _ => defaults.Files };
        var rowGroupRows = new Option<int>("--row-group-rows") { Description = "Rows per Parquet row group", DefaultValueFactory = _ => defaults.RowGroupRows };
        var separation = new Option<double>("--separation") { Description = "Spread of the component means in units of the components' own spread (1 overlaps, 5+ apart)", DefaultValueFactory = _ => defaults.Separation };
        var seed = new Option<long>("--seed") { Description = "Random seed", DefaultValueFactory = _ => defaults.Seed };
        var preset = new Option<string?>("--preset") { Description = "seed-example: the classic EM demo, 100 rows of randn(100,2) + 10·randn(100,2)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into a non-empty --out after removing the files an earlier gmm generate wrote there (nothing else)" };
        var json = CliOptions.Json("the files written");
        var command = new Command("generate", "Write synthetic Gaussian-mixture Parquet data and its true model")
            { output, rows, dims, components, files, rowGroupRows, separation, seed, preset, overwrite, json };
        command.SetAction(async (r, ct) =>
        {
            var outDir = r.GetValue(output)!;
            if (r.GetValue(preset) is { } name)
            {
                if (name != SeedExamplePreset) throw new UsageException($"--preset must be {SeedExamplePreset}, got '{name}'");
                var folder = GeneratedFolder.Prepare(outDir, "--out", r.GetValue(overwrite));
                var path = WriteOrRemove(folder, () => SyntheticData.SeedExample(outDir, r.GetValue(seed)));
                if (r.GetValue(json)) WriteJson(outDir, 100, ["x0", "x1"], [path], null);
                else Console.WriteLine($"wrote the seed example (100 rows, columns x0, x1) to {path}");
                return ExitCodes.Success;
            }
            var options = new GeneratorOptions
            {
                Rows = r.GetValue(rows), Dimensions = r.GetValue(dims), Components = r.GetValue(components), Files = r.GetValue(files),
                RowGroupRows = r.GetValue(rowGroupRows), Separation = r.GetValue(separation), Seed = r.GetValue(seed),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException("--" + e.Message.Replace("dimensions", "dims").Replace("row group rows", "row-group-rows"));
            }
            var target = GeneratedFolder.Prepare(outDir, "--out", r.GetValue(overwrite));
            var truth = await WriteOrRemoveAsync(target, () => SyntheticData.GenerateAsync(options, outDir, ct));
            var truthPath = Path.Combine(outDir, SyntheticData.TruthFileName);
            if (r.GetValue(json))
            {
                var written = Directory.EnumerateFiles(outDir, "part-*.parquet").Order(StringComparer.Ordinal).Select(Path.GetFullPath);
                WriteJson(outDir, options.Rows, truth.Columns, written, Path.GetFullPath(truthPath));
                return ExitCodes.Success;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {options.Rows:N0} rows × {Plural.Of(options.Dimensions, "column")} ({string.Join(", ", truth.Columns)}) in {Plural.Of(options.Files, "file")} to {outDir}, and the true model to {Path.Combine(outDir, SyntheticData.TruthFileName)}"));
            AnsiConsole.Write(ModelReport.ComponentTable(truth));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(string outDir, long rows, IEnumerable<string> columns, IEnumerable<string> files, string? truth) =>
        JsonOut.Write(w =>
        {
            w.WriteString("out", outDir);
            w.WriteNumber("rows", rows);
            JsonOut.Strings(w, "columns", columns);
            JsonOut.Strings(w, "files", files);
            if (truth is not null) w.WriteString("truth", truth);
        });

    /// <summary>Runs the writes; if they fail or are cancelled, removes the files they wrote and says what could not be removed.</summary>
    private static T WriteOrRemove<T>(GeneratedFolder folder, Func<T> write)
    {
        try
        {
            return write();
        }
        catch
        {
            foreach (var left in folder.RemoveWritten()) ErrorReport.Warning($"could not remove {left}");
            throw;
        }
    }

    private static async Task<T> WriteOrRemoveAsync<T>(GeneratedFolder folder, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch
        {
            foreach (var left in folder.RemoveWritten()) ErrorReport.Warning($"could not remove {left}");
            throw;
        }
    }
}
