
namespace DistributedGmm.Core.Persistence;

/// <summary>What a path names on the file system.</summary>
public enum FileKind { Missing, Regular, Directory, CharacterDevice, BlockDevice, Fifo, Socket, SymbolicLink, Other }
