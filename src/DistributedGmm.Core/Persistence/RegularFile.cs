namespace DistributedGmm.Core.Persistence;

/// <summary>
/// Reads a whole file that must be a regular file of bounded size. Anything else is refused before it is opened:
/// opening a FIFO for reading waits for a writer, and a device such as <c>/dev/zero</c> never ends.
/// </summary>
public static class RegularFile
{
    /// <summary>The bytes of <paramref name="path"/>; <see cref="InvalidDataException"/> (its message says why) if it is not a regular file or exceeds <paramref name="limit"/> bytes.</summary>
    public static byte[] ReadAll(string path, long limit)
    {
        var kind = FileNode.Of(path).Kind;
        if (kind == FileKind.Missing) throw new FileNotFoundException($"{path} does not exist", path);
        if (kind != FileKind.Regular) throw new InvalidDataException($"it is {FileNode.Describe(kind)}, not a regular file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > limit) throw TooLarge(limit);
        // Files whose size the kernel does not report (those under /proc) are read to the limit and no further.
        using var memory = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (memory.Length + read > limit) throw TooLarge(limit);
            memory.Write(buffer, 0, read);
        }
        return memory.ToArray();
    }

    private static InvalidDataException TooLarge(long limit) =>
        new(FormattableString.Invariant($"it is larger than {limit >> 20} MiB, more than any file gmm writes"));
}
