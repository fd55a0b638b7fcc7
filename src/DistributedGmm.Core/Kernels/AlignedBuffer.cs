using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// Doubles whose first element sits on a 64-byte boundary, in a pinned array, so a Vector512 load from any multiple
/// of 8 elements never straddles two cache lines. An ordinary double[] starts wherever the GC put it, and the E-step's
/// density and moment kernels are measurably slower on such split loads (tests/benchmarks/README.md).
/// </summary>
internal sealed class AlignedBuffer
{
    private const int Alignment = 64;
    private double[] _array = [];
    private int _offset;

    public int Length { get; private set; }

    public AlignedBuffer(int length = 0) => Grow(length);

    /// <summary>At least <paramref name="length"/> zeroed elements; the contents are not kept when it grows.</summary>
    public unsafe void Grow(int length)
    {
        if (length <= Length) return;
        _array = GC.AllocateArray<double>(length + Alignment / sizeof(double) - 1, pinned: true);
        var misalignment = (int)((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) % Alignment);
        _offset = (Alignment - misalignment) % Alignment / sizeof(double);
        Length = length;
    }

    public ref double Start => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset);

    public ref double this[int index] => ref AsSpan()[index];

    public Span<double> AsSpan() => _array.AsSpan(_offset, Length);

    public Span<double> AsSpan(int start) => AsSpan()[start..];

    public Span<double> AsSpan(int start, int length) => AsSpan().Slice(start, length);
}
