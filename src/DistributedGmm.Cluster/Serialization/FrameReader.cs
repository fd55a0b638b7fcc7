using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Text;

namespace DistributedGmm.Cluster.Serialization;

/// <summary>
/// Reads a frame written by <see cref="FrameWriter"/>. Every declared length is checked against the bytes that
/// remain before anything is allocated, so a truncated or lying frame costs nothing but a
/// <see cref="SerializationException"/>.
/// </summary>
internal ref struct FrameReader(ReadOnlySpan<byte> frame, string manifest)
{
    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _position;

    public readonly int Remaining => _frame.Length - _position;

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var b => throw Invalid($"a boolean byte of {b}"),
    };

    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public long Long() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
    public Guid Guid() => new(Take(16));

    public int[] Ints()
    {
        var count = Count(4);
        var bytes = Take(count * 4);
        var values = new int[count];
        for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
        return values;
    }

    public double[] Doubles()
    {
        var count = Count(8);
        var bytes = Take(count * 8);
        var values = new double[count];
        if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else
            for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
        return values;
    }

    public string String() => Encoding.UTF8.GetString(Take(Count(1)));

    /// <summary>A frame must be read to its last byte: trailing bytes mean writer and reader disagree.</summary>
    public readonly void End()
    {
        if (Remaining != 0) throw Invalid($"{Remaining} bytes after the end of the message");
    }

    public readonly SerializationException Invalid(string what) => new($"invalid '{manifest}' frame: {what}");

    /// <summary>A declared element count, checked against the remaining bytes before any allocation.</summary>
    private int Count(int elementSize)
    {
        var count = Int();
        if (count < 0 || count > Remaining / elementSize)
            throw Invalid($"declares {count} elements of {elementSize} bytes but only {Remaining} bytes remain");
        return count;
    }

    private ReadOnlySpan<byte> Take(int bytes)
    {
        if (bytes > Remaining) throw Invalid($"truncated: needs {bytes} more bytes at offset {_position}, {Remaining} remain");
        var span = _frame.Slice(_position, bytes);
        _position += bytes;
        return span;
    }
}
