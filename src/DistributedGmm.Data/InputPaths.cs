using System.Text;
using System.Text.RegularExpressions;

namespace DistributedGmm.Data;

/// <summary>
/// Turns data arguments (files, directories, globs) into the sorted list of distinct Parquet files they name.
/// Sorting by full path (ordinal) makes the order, and so every shard id, independent of the argument order and
/// of the order in which the file system lists a directory.
/// </summary>
internal static class InputPaths
{
    private static readonly char[] Wildcards = ['*', '?'];

    public static List<string> Resolve(IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new DataException("no input: give at least one Parquet file, directory or glob");
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            foreach (var file in Expand(input)) files.Add(file);
        }
        var sorted = files.ToList();
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }

    /// <summary>The deepest directory holding every file: outputs keep their inputs' paths relative to it.</summary>
    public static string CommonDirectory(IReadOnlyList<string> files)
    {
        var common = Path.GetDirectoryName(files[0])!;
        foreach (var file in files)
        {
            while (!IsUnder(file, common)) common = Path.GetDirectoryName(common) ?? "";
        }
        return common;
    }

    private static bool IsUnder(string file, string directory) =>
        directory.Length == 0 || file.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static IEnumerable<string> Expand(string input)
    {
        if (File.Exists(input)) return [Path.GetFullPath(input)];
        if (Directory.Exists(input))
        {
            var found = ParquetFilesBelow(Path.GetFullPath(input));
            return found.Count > 0 ? found : throw new DataException($"{input}: the directory holds no *.parquet file");
        }
        if (input.IndexOfAny(Wildcards) >= 0)
        {
            var matched = Glob(input);
            return matched.Count > 0 ? matched : throw new DataException($"{input}: the pattern matches no file");
        }
        throw new DataException($"{input}: no such file or directory");
    }

    /// <summary>
    /// Every *.parquet file below the directory, skipping names that start with '.' or '_' (temporary files and
    /// markers such as Spark's _SUCCESS, as Spark and Hive do).
    /// </summary>
    private static List<string> ParquetFilesBelow(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        return Directory.EnumerateFiles(directory, "*", options)
            .Where(f => f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) && !IsHidden(Path.GetRelativePath(directory, f)))
            .ToList();
    }

    private static bool IsHidden(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.') || part.StartsWith('_'));

    /// <summary>
    /// `*` and `?` match within one path segment, `**` any number of segments. The walk starts at the longest
    /// leading part of the pattern without a wildcard.
    /// </summary>
    private static List<string> Glob(string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        var firstWildcard = normalized.IndexOfAny(Wildcards);
        var lastSlash = normalized.LastIndexOf('/', firstWildcard);
        var root = lastSlash < 0 ? "." : normalized[..(lastSlash + 1)];
        var rest = normalized[(lastSlash + 1)..];
        if (!Directory.Exists(root)) return [];
        var regex = new Regex("^" + ToRegex(rest) + "$", RegexOptions.CultureInvariant);
        var full = Path.GetFullPath(root);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        return Directory.EnumerateFiles(full, "*", options)
            .Where(f => regex.IsMatch(Path.GetRelativePath(full, f).Replace('\\', '/')))
            .ToList();
    }

    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashFollows = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slashFollows ? "(.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }
}
