using System.Text;
using System.Text.RegularExpressions;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Data;

/// <summary>
/// Turns data arguments (files, directories, globs) into the sorted list of distinct Parquet files they name.
/// Sorting by full path (ordinal) makes the order, and so every shard id, independent of the argument order and
/// of the order in which the file system lists a directory.
/// </summary>
internal static class InputPaths
{
    private static readonly char[] Wildcards = ['*', '?', '['];

    public static List<string> Resolve(IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new DataException("no input: give at least one Parquet file, directory or glob");
        // One path per file, however many arguments, links or hard links reach it: the first in ordinal order,
        // so the choice does not depend on the order of the arguments either.
        var files = new Dictionary<FileIdentity, string>();
        foreach (var input in inputs)
        {
            foreach (var (file, identity) in Expand(input))
            {
                if (!files.TryGetValue(identity, out var known) || string.CompareOrdinal(file, known) < 0) files[identity] = file;
            }
        }
        var sorted = files.Values.ToList();
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

    /// <summary>
    /// Names relative to the longest common '/'-ended prefix, for inputs that include s3:// objects (whose URIs
    /// are not file system paths); an object keeps "s3/bucket/…" when nothing is shared, never a "://".
    /// </summary>
    public static string[] RelativeToCommonPrefix(IReadOnlyList<string> names)
    {
        var plain = names.Select(n => ObjectStorage.ObjectUri.IsObjectUri(n) ? "s3/" + n[ObjectStorage.ObjectUri.Scheme.Length..] : n.TrimStart('/')).ToArray();
        var common = plain[0][..(plain[0].LastIndexOf('/') + 1)];
        foreach (var name in plain)
        {
            while (!name.StartsWith(common, StringComparison.Ordinal)) common = common[..(common.LastIndexOf('/', common.Length - 2) + 1)];
        }
        return plain.Select(n => n[common.Length..]).ToArray();
    }

    private static bool IsUnder(string file, string directory) =>
        directory.Length == 0 || file.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static List<(string Path, FileIdentity Identity)> Expand(string input)
    {
        var node = FileNode.Of(input);
        switch (node.Kind)
        {
            case FileKind.Regular: return [(Path.GetFullPath(input), FileIdentity.Of(node, input))];
            case FileKind.Directory:
                var found = Walk(Path.GetFullPath(input), IsVisibleParquet);
                return found.Count > 0 ? found : throw new DataException($"{input}: the directory holds no *.parquet file");
            case FileKind.Missing when input.IndexOfAny(Wildcards) >= 0:
                var matched = Glob(input);
                return matched.Count > 0 ? matched : throw new DataException($"{input}: the pattern matches no file");
            default: throw new DataException(NotAnInput(input, node.Kind));
        }
    }

    /// <summary>
    /// *.parquet files, skipping names that start with '.' or '_' (temporary files and markers such as Spark's
    /// _SUCCESS, as Spark and Hive do), in folders too.
    /// </summary>
    private static bool IsVisibleParquet(string relative, bool isDirectory) =>
        !relative.Split('/').Any(part => part.StartsWith('.') || part.StartsWith('_')) &&
        (isDirectory || relative.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The regular files below <paramref name="root"/> that <paramref name="accept"/> takes (given the '/'-separated
    /// relative path; asked about folders too, which it may prune). Links are followed, but each folder is entered
    /// once, by identity, so a link back up the tree (a loop such as `self -> .`) ends the walk instead of repeating
    /// it. A FIFO, device or socket the filter takes is refused rather than opened: reading one would wait forever.
    /// </summary>
    private static List<(string Path, FileIdentity Identity)> Walk(string root, Func<string, bool, bool> accept)
    {
        var found = new List<(string, FileIdentity)>();
        var entered = new HashSet<FileIdentity> { FileIdentity.Of(FileNode.Of(root), root) };
        var pending = new Stack<string>();
        pending.Push(root);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", options).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
                var node = FileNode.Of(entry);
                switch (node.Kind)
                {
                    case FileKind.Directory:
                        if (accept(relative, true) && entered.Add(FileIdentity.Of(node, entry))) pending.Push(entry);
                        break;
                    case FileKind.Regular:
                        if (accept(relative, false)) found.Add((entry, FileIdentity.Of(node, entry)));
                        break;
                    default:
                        if (accept(relative, false))
                            throw new DataException(node.Kind == FileKind.Missing ? $"{entry}: a link to nothing (its target does not exist)" : NotAnInput(entry, node.Kind));
                        break;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// `*` and `?` match within one path segment, `**` any number of segments, `[01]`, `[a-z]` and `[!x]` one
    /// character of a class. The walk starts at the longest leading part of the pattern without a wildcard.
    /// </summary>
    private static List<(string Path, FileIdentity Identity)> Glob(string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        var firstWildcard = normalized.IndexOfAny(Wildcards);
        var lastSlash = normalized.LastIndexOf('/', firstWildcard);
        var root = lastSlash < 0 ? "." : normalized[..(lastSlash + 1)];
        var rest = normalized[(lastSlash + 1)..];
        if (FileNode.Of(root).Kind != FileKind.Directory) return [];
        var regex = new Regex("^" + ToRegex(rest) + "$", RegexOptions.CultureInvariant);
        return Walk(Path.GetFullPath(root), (relative, isDirectory) => isDirectory || regex.IsMatch(relative));
    }

    /// <summary>Why a path that is not a regular file or directory cannot be read, for messages.</summary>
    internal static string NotAnInput(string path, FileKind kind) => kind == FileKind.Missing
        ? $"{path}: no such file or directory"
        : $"{path}: {FileNode.Describe(kind)}, not a regular file; give Parquet files or folders";

    /// <summary>
    /// Equal for the same file or directory however it was reached (links, hard links): its device and inode where
    /// the platform tells them, else its real path.
    /// </summary>
    private readonly record struct FileIdentity(ulong Device, ulong Inode, string? RealPath)
    {
        public static FileIdentity Of(FileNode node, string path) => (node.Device | node.Inode) != 0
            ? new FileIdentity(node.Device, node.Inode, null)
            : new FileIdentity(0, 0, FileNode.RealPath(path));
    }

    internal static string ToRegex(string glob)
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
            else if (c == '[' && BracketClass(glob, i) is { } bracket)
            {
                regex.Append(bracket.Regex);
                i = bracket.End;
            }
            else regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }

    /// <summary>The class starting at <paramref name="open"/> ('['), as shells read it, or null when no ']' closes it (a literal '[').</summary>
    private static (string Regex, int End)? BracketClass(string glob, int open)
    {
        var i = open + 1;
        var negated = i < glob.Length && glob[i] == '!';
        if (negated) i++;
        var first = i;
        if (i < glob.Length && glob[i] == ']') i++; // a ']' first is a member, as in shells
        while (i < glob.Length && glob[i] != ']') i++;
        if (i >= glob.Length || i == first) return null;
        var members = new StringBuilder();
        foreach (var m in glob[first..i]) members.Append(m is '\\' or '^' or '[' or ']' ? "\\" + m : m.ToString());
        return ((negated ? "[^/" : "[") + members + "]", i);
    }
}
