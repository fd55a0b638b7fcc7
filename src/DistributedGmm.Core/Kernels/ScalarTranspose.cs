using System.Runtime.CompilerServices;

namespace DistributedGmm.Core.Kernels;

/// <summary>The transpose of a tile (less its origin) one value at a time, where the vector shuffles are not available.</summary>
internal static class ScalarTranspose
{
    public static void Tile(ref double source, int sourceStride, ref double origin, ref double target, int targetStride, int width)
    {
        for (var i = 0; i < width; i++)
        for (var j = 0; j < width; j++)
            Unsafe.Add(ref target, j * targetStride + i) = Unsafe.Add(ref source, i * sourceStride + j) - Unsafe.Add(ref origin, j);
    }
}
