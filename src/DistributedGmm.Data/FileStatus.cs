using System.Runtime.InteropServices;

namespace DistributedGmm.Data;

/// <summary>
/// A path's kind and identity (device and inode) from stat(2), following symbolic links: two paths name the same
/// file or directory exactly when their identities are equal, whatever links or hard links lead to it. Only libc's
/// stat is asked, so a FIFO is recognised without being opened (opening one for reading waits for a writer).
/// On a platform whose struct stat layout is not known here, the identity falls back to the full path with the
/// final link target resolved, and the kind to what .NET reports.
/// </summary>
internal readonly record struct FileStatus(FileKind Kind, ulong Device, ulong Inode, string? PathIdentity)
{
    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint RegularType = 0x8000; // S_IFREG
    private const uint DirectoryType = 0x4000; // S_IFDIR
    private const uint FifoType = 0x1000; // S_IFIFO

    /// <summary>Why a path that is not a regular file or directory cannot be read, for messages.</summary>
    public string Describe(string path) => Kind switch
    {
        FileKind.Missing => $"{path}: no such file or directory",
        FileKind.Fifo => $"{path}: not a regular file (a FIFO); give Parquet files or folders",
        FileKind.Other => $"{path}: not a regular file (a device or socket); give Parquet files or folders",
        _ => path,
    };

    public static FileStatus Of(string path)
    {
        if (Layout() is { } layout)
        {
            var buffer = new byte[256];
            int result;
            try
            {
                result = stat(path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                result = __xstat(layout.XstatVersion, path, buffer); // glibc before 2.33 exports stat only under this name
            }
            if (result != 0) return new FileStatus(FileKind.Missing, 0, 0, null);
            var device = layout.DeviceIs32Bits ? BitConverter.ToUInt32(buffer, 0) : BitConverter.ToUInt64(buffer, 0);
            var inode = BitConverter.ToUInt64(buffer, layout.InodeOffset);
            var mode = layout.ModeIs16Bits ? BitConverter.ToUInt16(buffer, layout.ModeOffset) : BitConverter.ToUInt32(buffer, layout.ModeOffset);
            var kind = (mode & TypeMask) switch
            {
                RegularType => FileKind.Regular,
                DirectoryType => FileKind.Directory,
                FifoType => FileKind.Fifo,
                _ => FileKind.Other,
            };
            return new FileStatus(kind, device, inode, null);
        }
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return new FileStatus(FileKind.Directory, 0, 0, Resolved(new DirectoryInfo(full)));
        if (File.Exists(full)) return new FileStatus(FileKind.Regular, 0, 0, Resolved(new FileInfo(full)));
        return new FileStatus(FileKind.Missing, 0, 0, null);
    }

    private static string Resolved(FileSystemInfo info) => info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;

    private sealed record StatLayout(bool DeviceIs32Bits, int InodeOffset, int ModeOffset, bool ModeIs16Bits, int XstatVersion);

    /// <summary>Where st_dev, st_ino and st_mode sit in struct stat, for the platforms whose layout is fixed by their ABI.</summary>
    private static StatLayout? Layout()
    {
        var arch = RuntimeInformation.ProcessArchitecture;
        if (OperatingSystem.IsLinux() && arch == Architecture.X64) return new StatLayout(false, 8, 24, false, 1);
        if (OperatingSystem.IsLinux() && arch == Architecture.Arm64) return new StatLayout(false, 8, 16, false, 0);
        return null;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int __xstat(int version, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    /// <summary>Equal for the same file or directory, however it was reached.</summary>
    public (ulong, ulong, string?) Identity => (Device, Inode, PathIdentity);
}
