using System.Runtime.InteropServices;

namespace DistributedGmm.Core.Persistence;

/// <summary>
/// A path's file kind and identity (device and inode), from <c>statx(2)</c> on Linux. .NET has no API for either:
/// it cannot tell a device node or FIFO from a regular file, nor see that two paths (a symbolic link, a hard link,
/// a linked folder) reach the same file. Elsewhere the kind comes from .NET and the identity is unknown.
/// </summary>
public readonly record struct FileNode(FileKind Kind, ulong Device, ulong Inode)
{
    private bool HasIdentity => Kind != FileKind.Missing && (Device | Inode) != 0;

    public bool Exists => Kind != FileKind.Missing;

    /// <summary>True when both name the same existing file (by device and inode where known, else never).</summary>
    public bool SameFileAs(FileNode other) => HasIdentity && other.HasIdentity && Device == other.Device && Inode == other.Inode;

    /// <summary>The node a path names; symbolic links are followed unless <paramref name="followLinks"/> is false.</summary>
    public static FileNode Of(string path, bool followLinks = true)
    {
        if (OperatingSystem.IsLinux()) return Statx(path, followLinks);
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return new FileNode(FileKind.SymbolicLink, 0, 0);
        if (Directory.Exists(path)) return new FileNode(FileKind.Directory, 0, 0);
        return File.Exists(path) ? new FileNode(FileKind.Regular, 0, 0) : new FileNode(FileKind.Missing, 0, 0);
    }

    /// <summary>Whether two paths reach the same file: the same identity, or (where identity is unknown) the same real path.</summary>
    public static bool SameFile(string a, string b)
    {
        var (x, y) = (Of(a), Of(b));
        if (x.HasIdentity && y.HasIdentity) return x.SameFileAs(y);
        return x.Exists && y.Exists && RealPath(a) is { } ra && ra == RealPath(b);
    }

    /// <summary>The absolute path with every symbolic link and <c>..</c> resolved, or null if it does not exist.</summary>
    public static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            return info.Exists || Directory.Exists(path) ? (info.ResolveLinkTarget(returnFinalTarget: true) ?? info).FullName : null;
        }
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    private static unsafe FileNode Statx(string path, bool followLinks)
    {
        // struct statx has the same layout on every Linux architecture (unlike struct stat).
        var buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            return new FileNode(FileKind.Missing, 0, 0);
        var mode = *(ushort*)(buffer + 28);
        var inode = *(ulong*)(buffer + 32);
        var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
        return new FileNode(kind, device, inode);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);
}
