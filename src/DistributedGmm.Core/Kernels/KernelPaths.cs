using System.Runtime.Intrinsics;

namespace DistributedGmm.Core.Kernels;

public static class KernelPaths
{
    /// <summary>The environment variable that overrides the default path: scalar, vector256 or vector512.</summary>
    public const string Variable = "GMM_KERNEL";

    /// <summary>
    /// The widest accelerated path (for the AVX-512 and AVX2 paths side by side, see tests/benchmarks/README.md).
    /// A cluster that mixes AVX2 and AVX-512 nodes should set GMM_KERNEL=vector256 on every node: then
    /// every node computes the same bits, and a group that moves to another node after a fault gives the same model.
    /// An unknown <see cref="Variable"/> value throws its own message on every use, not a TypeInitializationException.
    /// </summary>
    public static KernelPath Best => Chosen.Value;

    private static readonly Lazy<KernelPath> Chosen = new(() => Choose(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>True when this process can run <paramref name="path"/>: it is no wider than <see cref="Best"/>.</summary>
    public static bool Supports(KernelPath path) => path <= Best;

    /// <summary>The path's name as options and model files spell it: scalar, vector256, vector512.</summary>
    public static string Name(KernelPath path) => path.ToString().ToLowerInvariant();

    /// <summary>Parses a <c>--kernel</c> value: a path's name, or <c>auto</c> (null: the coordinator decides).</summary>
    public static bool TryParse(string? text, out KernelPath? path)
    {
        path = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "auto": return true;
            case "scalar": path = KernelPath.Scalar; return true;
            case "vector256": path = KernelPath.Vector256; return true;
            case "vector512": path = KernelPath.Vector512; return true;
            default: return false;
        }
    }

    internal static KernelPath Choose(string? requested) => requested?.Trim().ToLowerInvariant() switch
    {
        "scalar" => KernelPath.Scalar,
        "vector256" => Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar,
        "vector512" or null or "" => Vector512.IsHardwareAccelerated ? KernelPath.Vector512
            : Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar,
        _ => throw new InvalidOperationException($"{Variable}={requested}: expected scalar, vector256 or vector512"),
    };

    /// <summary>Lanes of the widest path: the workspaces are sized for it.</summary>
    public const int MaxWidth = 8;
}
