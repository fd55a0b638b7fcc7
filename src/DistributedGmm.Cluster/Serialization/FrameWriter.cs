using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace DistributedGmm.Cluster.Serialization;

/// <summary>Writes a little-endian binary frame into a buffer sized up front (no growth on the hot path).</summary>
internal sealed class FrameWriter(int capacity)
{
    private byte[] _buffer = new byte[capacity];
    private int _position;

    public void Byte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void Int(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void Long(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void Double(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void Guid(Guid value)
    {
        Ensure(16);
        value.TryWriteBytes(_buffer.AsSpan(_position, 16));
        _position += 16;
    }

    public void Ints(int[] values)
    {
        Int(values.Length);
        foreach (var v in values) Int(v);
    }

    public void Doubles(double[] values)
    {
        Int(values.Length);
        Ensure(values.Length * 8);
        var target = _buffer.AsSpan(_position, values.Length * 8);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(target);
        else
            for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(target[(i * 8)..], values[i]);
        _position += values.Length * 8;
    }

    public void String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Int(bytes.Length);
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer, _position);
        _position += bytes.Length;
    }

    public byte[] ToArray() => _position == _buffer.Length ? _buffer : _buffer.AsSpan(0, _position).ToArray();

    private void Ensure(int bytes)
    {
        if (_position + bytes <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _position + bytes));
    }
}
