using System.Text.RegularExpressions;

namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// Turns s3:// data arguments into the objects they name, as <see cref="InputPaths"/> does for local paths: a key,
/// a prefix (a key ending in '/', or a key that is no object but has objects below it: every *.parquet below it,
/// skipping names that start with '.' or '_'), or a glob (`*`, `?`, `**`, `[…]` as for files).
/// </summary>
internal static class ObjectInputs
{
    private static readonly char[] Wildcards = ['*', '?', '['];

    public static async Task<List<StoredObject>> ResolveAsync(ObjectStore store, IEnumerable<string> inputs, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            foreach (var o in await ExpandAsync(store, input, cancellationToken).ConfigureAwait(false)) found[o.Uri.ToString()] = o;
        }
        return found.Values.ToList();
    }

    private static async Task<List<StoredObject>> ExpandAsync(ObjectStore store, string input, CancellationToken cancellationToken)
    {
        var uri = ObjectUri.Parse(input);
        var firstWildcard = uri.Key.IndexOfAny(Wildcards);
        if (firstWildcard >= 0)
        {
            var root = uri.Key[..(uri.Key.LastIndexOf('/', firstWildcard) + 1)];
            var regex = new Regex("^" + InputPaths.ToRegex(uri.Key[root.Length..]) + "$", RegexOptions.CultureInvariant);
            var listed = await store.ListAsync(uri.WithKey(root), cancellationToken).ConfigureAwait(false);
            var matched = listed.Where(o => !o.Uri.Key.EndsWith('/') && regex.IsMatch(o.Uri.Key[root.Length..])).ToList();
            return matched.Count > 0 ? matched : throw new DataException($"{input}: the pattern matches no object");
        }
        if (uri.Key.Length == 0 || uri.Key.EndsWith('/')) return await PrefixAsync(store, input, uri, cancellationToken).ConfigureAwait(false);
        var candidates = await store.ListAsync(uri, cancellationToken).ConfigureAwait(false);
        if (candidates.FirstOrDefault(o => o.Uri.Key == uri.Key) is { } exact) return [exact];
        if (candidates.Any(o => o.Uri.Key.StartsWith(uri.Key + "/", StringComparison.Ordinal)))
            return await PrefixAsync(store, input, uri.WithKey(uri.Key + "/"), cancellationToken).ConfigureAwait(false);
        throw new DataException($"{input}: no such object or prefix");
    }

    private static async Task<List<StoredObject>> PrefixAsync(ObjectStore store, string input, ObjectUri prefix, CancellationToken cancellationToken)
    {
        var listed = await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (listed.Count == 0) throw new DataException($"{input}: no object under this prefix");
        var visible = listed.Where(o => IsVisibleParquet(o.Uri.Key[prefix.Key.Length..])).ToList();
        return visible.Count > 0 ? visible : throw new DataException($"{input}: the prefix holds no *.parquet object");
    }

    /// <summary>As for folders: *.parquet, no part of the name below the prefix starting with '.' or '_' (Spark's _SUCCESS, temporary files).</summary>
    private static bool IsVisibleParquet(string relative) =>
        !relative.Split('/').Any(part => part.StartsWith('.') || part.StartsWith('_')) &&
        relative.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
}
