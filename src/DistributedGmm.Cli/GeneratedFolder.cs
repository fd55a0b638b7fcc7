using System.Text.RegularExpressions;
using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>
/// The folder <c>gmm generate</c> writes into. It must be new or empty, so a later fit never mixes two datasets;
/// with <c>--overwrite</c> the files an earlier generate wrote (<c>part-NNNNN.parquet</c> and
/// <c>seed-example.parquet</c> that are Parquet, <c>truth.json</c> that is a model file) are removed first and
/// nothing else is touched. If the command fails or is cancelled, the files it wrote are removed again.
/// </summary>
internal sealed partial class GeneratedFolder
{
    private readonly string _path;
    private readonly bool _created;

    private GeneratedFolder(string path, bool created) => (_path, _created) = (path, created);

    public static GeneratedFolder Prepare(string path, string option, bool overwrite)
    {
        // Resolving a file inside refuses /proc, /sys and a parent that is a file before anything is written.
        OutputPath.Resolve(Path.Combine(path, SyntheticData.TruthFileName), option);
        if (File.Exists(path)) throw new UsageException($"{option} {path} is a file; give a folder");
        if (!Directory.Exists(path)) return new GeneratedFolder(path, created: true);
        var entries = Directory.GetFileSystemEntries(path);
        if (entries.Length == 0) return new GeneratedFolder(path, created: false);
        if (!overwrite)
            throw new UsageException($"{option} {path} is not empty ({entries.Length} entries); choose a new or empty folder, " +
                "or give --overwrite to remove the files an earlier gmm generate wrote there");
        var ours = entries.Where(IsOurs).ToList();
        foreach (var file in ours) File.Delete(file);
        var kept = entries.Length - ours.Count;
        if (kept > 0)
            ErrorReport.Warning($"--overwrite removed {ours.Count} file(s) gmm generate wrote in {path} and kept {kept} other entr{(kept == 1 ? "y" : "ies")}");
        return new GeneratedFolder(path, created: false);
    }

    /// <summary>A file as <c>gmm generate</c> names and writes it: by name and by content.</summary>
    public static bool IsOurs(string path)
    {
        if (!File.Exists(path)) return false;
        var name = Path.GetFileName(path);
        if (name == SyntheticData.TruthFileName) return OutputKind.Model.Recognises(path);
        return (PartFile().IsMatch(name) || name == SyntheticData.SeedExampleFileName) && OutputKind.Parquet.Recognises(path);
    }

    /// <summary>After a failure or cancellation: removes what this run wrote (the folder held none of ours before). Returns what is left.</summary>
    public IReadOnlyList<string> RemoveWritten()
    {
        if (!Directory.Exists(_path)) return [];
        var left = new List<string>();
        foreach (var file in Directory.GetFiles(_path).Where(f => IsOurs(f) || IsOurTemporary(f)))
        {
            try { File.Delete(file); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { left.Add(file); }
        }
        if (_created && Directory.GetFileSystemEntries(_path).Length == 0) Directory.Delete(_path);
        return left;
    }

    private static bool IsOurTemporary(string path) => TemporaryFile().IsMatch(Path.GetFileName(path));

    [GeneratedRegex(@"^part-\d{5}\.parquet$")]
    private static partial Regex PartFile();

    [GeneratedRegex(@"^\.(part-\d{5}\.parquet|truth\.json|seed-example\.parquet)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryFile();
}
