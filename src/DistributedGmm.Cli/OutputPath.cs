using System.CommandLine;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cli;

/// <summary>
/// Checks an output path up front, so a long fit does not end in an error about where to write. The rules (README,
/// "Outputs"): an output never replaces a file the command reads, whatever path reaches it (same device and inode);
/// an existing regular file is replaced only if it is empty or a previous output of the same kind, unless
/// <c>--overwrite</c>; devices, FIFOs and kernel file systems are handled as <see cref="OutputTarget"/> says.
/// </summary>
internal static class OutputPath
{
    public static Option<bool> Overwrite(string what) => new("--overwrite")
    {
        Description = $"Replace an existing {what} that gmm did not write (an input is never replaced)",
    };

    public static string File(string? path, string option, OutputKind kind, bool overwrite)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} needs a file name");
        if (DistributedGmm.Data.ObjectStorage.ObjectUri.IsObjectUri(path))
        {
            // An object is replaced whole by its PUT; what it held before is not inspected.
            var uri = DistributedGmm.Data.ObjectStorage.ObjectUri.Parse(path);
            if (uri.Key.Length == 0 || uri.Key.EndsWith('/')) throw new UsageException($"{option} {path}: give an object key, not a prefix");
            // Asked now, as for local paths: a missing bucket or refused credentials must not wait for the fit's end.
            DistributedGmm.Data.ObjectStorage.ObjectStores.Default.ExistsAsync(uri).GetAwaiter().GetResult();
            return path;
        }
        var target = Resolve(path, option);
        if (target.Existing.Kind == FileKind.Regular && !overwrite && !kind.Recognises(target.WritePath))
            throw new UsageException($"{option} {path} exists and is not {kind.Description}; give --overwrite to replace it, or another name");
        return path;
    }

    public static OutputTarget Resolve(string path, string option)
    {
        try
        {
            return OutputTarget.Resolve(path);
        }
        catch (OutputException e)
        {
            throw new UsageException($"{option}: {e.Message}");
        }
    }

    /// <summary>Refuses an output that is one of the command's inputs, by file identity (links and other spellings included).</summary>
    public static void NotAnInput(string path, string option, IEnumerable<string> inputs)
    {
        foreach (var input in inputs)
            if (string.Equals(path, input, StringComparison.Ordinal) || (!DistributedGmm.Data.ObjectStorage.ObjectUri.IsObjectUri(path) && FileNode.SameFile(path, input)))
                throw new UsageException($"{option} {path} would overwrite the input {input}; gmm never replaces an input: choose another name");
    }
}
