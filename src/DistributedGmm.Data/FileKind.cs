using System.Runtime.InteropServices;

namespace DistributedGmm.Data;

/// <summary>What a path names once every symbolic link is followed, as stat(2) reports it.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    Other,
}
