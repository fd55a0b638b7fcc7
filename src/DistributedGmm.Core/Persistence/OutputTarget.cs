namespace DistributedGmm.Core.Persistence;

/// <summary>
/// Where an output really goes. A regular file (or a new one) is written to a temporary file beside its real path
/// (symbolic links resolved, so a link stays a link) and renamed over it; a character device (<c>/dev/null</c>,
/// a terminal, <c>/dev/stdout</c> on a terminal) or a FIFO (<c>/dev/stdout</c> in a pipe) is written to directly, as
/// a rename would replace the node itself. Directories, block devices, sockets and paths under <c>/proc</c> or
/// <c>/sys</c> are refused, as is a path whose parent is a file. Resolving writes nothing.
/// </summary>
public sealed record OutputTarget(string Path, string WritePath, bool Direct, FileNode Existing)
{
    private static readonly string[] KernelFileSystems = ["/proc", "/sys"];

    public static OutputTarget Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputException("an output needs a file name");
        var full = System.IO.Path.GetFullPath(path);
        var node = FileNode.Of(full);
        switch (node.Kind)
        {
            case FileKind.CharacterDevice or FileKind.Fifo:
                return new OutputTarget(path, full, Direct: true, node);
            case FileKind.Directory:
                throw new OutputException($"{path} is a directory; give a file name");
            case FileKind.Regular:
                var real = FileNode.RealPath(full) ?? full;
                RefuseKernelFileSystem(path, real);
                return new OutputTarget(path, real, Direct: false, node);
            case FileKind.Missing:
                if (FileNode.Of(full, followLinks: false).Kind == FileKind.SymbolicLink)
                    throw new OutputException($"{path} is a symbolic link to a file that does not exist; remove the link or give another path");
                var parent = RealParent(path, full);
                RefuseKernelFileSystem(path, parent);
                return new OutputTarget(path, System.IO.Path.Combine(parent, System.IO.Path.GetFileName(full)), Direct: false, node);
            default:
                throw new OutputException($"{path} is {FileNode.Describe(node.Kind)}; gmm writes regular files, character devices such as /dev/null, and FIFOs");
        }
    }

    /// <summary>The real path of the target's folder, which may not exist yet; its nearest existing ancestor must be a folder.</summary>
    private static string RealParent(string path, string full)
    {
        var parent = System.IO.Path.GetDirectoryName(full) ?? throw new OutputException($"{path} names no file");
        var missing = new Stack<string>();
        var existing = parent;
        while (true)
        {
            var kind = FileNode.Of(existing).Kind;
            if (kind == FileKind.Directory) break;
            if (kind != FileKind.Missing)
                throw new OutputException($"cannot write {path}: {existing} is {FileNode.Describe(kind)}, not a folder; choose another path");
            missing.Push(System.IO.Path.GetFileName(existing));
            existing = System.IO.Path.GetDirectoryName(existing) ?? throw new OutputException($"cannot write {path}: no folder of it exists");
        }
        var real = FileNode.RealPath(existing) ?? existing;
        while (missing.Count > 0) real = System.IO.Path.Combine(real, missing.Pop());
        return real;
    }

    private static void RefuseKernelFileSystem(string path, string realPath)
    {
        foreach (var root in KernelFileSystems)
            if (realPath == root || realPath.StartsWith(root + "/", StringComparison.Ordinal))
                throw new OutputException($"cannot write {path}: it is under {root}, a kernel file system that holds no files; choose a folder on a disk");
    }
}
