using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// A read-only, seekable view of one object for Parquet.Net that fetches by range and never the whole object: on
/// opening, the last 64 KiB (and a second range only when the footer is longer); then, for the row group about to
/// be decoded, all of its selected column chunks when the decoder first touches one, by parallel requests (one per
/// chunk, or per 8 MiB part of a larger one) into one reused buffer, so a row group's bytes are held once and the
/// requests' latencies overlap. A read outside every planned range fetches what it asks for, with a little read-ahead.
/// Not thread-safe: one per <see cref="ShardReader"/>, as a FileStream is.
/// </summary>
internal sealed class ObjectRangeStream : Stream
{
    public const int TailBytes = 64 << 10;
    private const int PartBytes = 8 << 20;
    private const int ReadAheadBytes = 1 << 20;

    private readonly ObjectStore _store;
    private readonly StoredObject _object;
    private readonly byte[] _tail;
    private readonly long _tailStart;
    private byte[] _chunk = [];
    private long _chunkStart = -1;
    private int _chunkLength;
    private (long Start, long Length)[] _planned = [];
    private byte[] _plannedBytes = [];
    private int[] _plannedOffsets = [];
    private bool _plannedLoaded;
    private long _position;

    private ObjectRangeStream(ObjectStore store, StoredObject obj, byte[] tail, long tailStart)
    {
        (_store, _object, _tail, _tailStart) = (store, obj, tail, tailStart);
    }

    public StoredObject Object => _object;

    /// <summary>XXH3 of the footer and the ETag: the object's identity in the dataset fingerprint.</summary>
    public ulong FooterHash { get; private init; }

    public static async Task<ObjectRangeStream> OpenAsync(ObjectStore store, StoredObject obj, CancellationToken cancellationToken)
    {
        if (obj.Size < 12) throw new DataException($"{obj.Uri}: not a Parquet file ({obj.Size} bytes)");
        var tailLength = (int)Math.Min(TailBytes, obj.Size);
        var tail = new byte[tailLength];
        await store.ReadAsync(obj, obj.Size - tailLength, tail, cancellationToken).ConfigureAwait(false);
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail.AsSpan(tailLength - 8));
        if (!tail.AsSpan(tailLength - 4).SequenceEqual("PAR1"u8) || footerLength <= 0 || footerLength > obj.Size - 12)
            throw new DataException($"{obj.Uri}: not a Parquet file (no footer at its end)");
        var needed = footerLength + 8;
        if (needed > tailLength)
        {
            // The metadata is longer than the first guess: fetch the rest in front of it, once.
            var whole = new byte[needed];
            await store.ReadAsync(obj, obj.Size - needed, whole.AsMemory(0, needed - tailLength), cancellationToken).ConfigureAwait(false);
            tail.CopyTo(whole, needed - tailLength);
            tail = whole;
        }
        var hash = new XxHash3();
        hash.Append(tail.AsSpan(tail.Length - needed, footerLength));
        hash.Append(Encoding.UTF8.GetBytes(obj.ETag));
        return new ObjectRangeStream(store, obj, tail, obj.Size - tail.Length) { FooterHash = hash.GetCurrentHashAsUInt64() };
    }

    /// <summary>The byte ranges the next reads will want (a row group's selected column chunks); each is fetched whole on first touch.</summary>
    public void Plan(IEnumerable<(long Start, long Length)> ranges)
    {
        var planned = ranges.Where(r => r.Length > 0).Select(r => (r.Start, Math.Min(r.Length, _object.Size - r.Start))).OrderBy(r => r.Start).ToArray();
        if (planned.SequenceEqual(_planned)) return; // the same row group again: its bytes are still held
        _planned = planned;
        _plannedLoaded = false;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _object.Size;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _object.Size + offset,
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var copied = TryCopy(buffer);
        if (copied >= 0) return copied;
        var memory = new byte[buffer.Length];
        var n = ReadAsync(memory, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        memory.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var copied = TryCopy(buffer.Span);
        if (copied >= 0) return copied;
        await FetchAsync(_position, buffer.Length, cancellationToken).ConfigureAwait(false);
        return TryCopy(buffer.Span);
    }

    /// <summary>Copies from what is held: the bytes read, or -1 when the position is in nothing held.</summary>
    private int TryCopy(Span<byte> buffer)
    {
        if (buffer.Length == 0 || _position >= _object.Size) return 0;
        var wanted = (int)Math.Min(buffer.Length, _object.Size - _position);
        if (_plannedLoaded)
        {
            for (var i = 0; i < _planned.Length; i++)
            {
                var (start, length) = _planned[i];
                if (_position >= start && _position < start + length)
                    return Copy(_plannedBytes.AsSpan(_plannedOffsets[i], (int)length), start, buffer[..wanted]);
            }
        }
        if (_position >= _chunkStart && _chunkStart >= 0 && _position < _chunkStart + _chunkLength)
            return Copy(_chunk.AsSpan(0, _chunkLength), _chunkStart, buffer[..wanted]);
        if (_position >= _tailStart) return Copy(_tail, _tailStart, buffer[..wanted]);
        if (_position < 4 && _chunkStart != 0)
        {
            // Parquet.Net checks the leading magic as well; it is not worth a request of its own (the trailing
            // magic and the footer were checked on opening), so it is answered as the format defines it.
            var n = (int)Math.Min(wanted, 4 - _position);
            "PAR1"u8.Slice((int)_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        return -1;
    }

    private int Copy(ReadOnlySpan<byte> source, long sourceStart, Span<byte> buffer)
    {
        var from = (int)(_position - sourceStart);
        var n = Math.Min(buffer.Length, source.Length - from);
        source.Slice(from, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    /// <summary>Fetches every planned range when the position is in one, else the bytes asked for (and some read-ahead) into the chunk buffer.</summary>
    private async Task FetchAsync(long position, int count, CancellationToken cancellationToken)
    {
        if (!_plannedLoaded && _planned.Any(r => position >= r.Start && position < r.Start + r.Length))
        {
            await FetchPlannedAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        // Unplanned (columns copied into predictions, pages read header by header): read ahead, up to the next planned range.
        var end = Math.Min(_tailStart, position + Math.Max(count, ReadAheadBytes));
        foreach (var range in _planned)
        {
            if (range.Start > position) end = Math.Min(end, range.Start);
        }
        var length = end - position;
        if (_chunk.Length < length) _chunk = GC.AllocateUninitializedArray<byte>(checked((int)length));
        _chunkStart = -1; // until the whole range is in
        await Task.WhenAll(Parts(position, _chunk, 0, length, cancellationToken)).ConfigureAwait(false);
        (_chunkStart, _chunkLength) = (position, (int)length);
    }

    private async Task FetchPlannedAsync(CancellationToken cancellationToken)
    {
        var total = checked((int)_planned.Sum(r => r.Length));
        if (_plannedBytes.Length < total) _plannedBytes = GC.AllocateUninitializedArray<byte>(total);
        _plannedOffsets = new int[_planned.Length];
        var requests = new List<Task>();
        var offset = 0;
        for (var i = 0; i < _planned.Length; i++)
        {
            _plannedOffsets[i] = offset;
            requests.AddRange(Parts(_planned[i].Start, _plannedBytes, offset, _planned[i].Length, cancellationToken));
            offset += (int)_planned[i].Length;
        }
        await Task.WhenAll(requests).ConfigureAwait(false);
        _plannedLoaded = true;
    }

    /// <summary>Ranged GETs of at most 8 MiB each for <paramref name="length"/> bytes from <paramref name="start"/>.</summary>
    private IEnumerable<Task> Parts(long start, byte[] destination, int destinationOffset, long length, CancellationToken cancellationToken)
    {
        for (long part = 0; part < length; part += PartBytes)
            yield return _store.ReadAsync(_object, start + part, destination.AsMemory(destinationOffset + (int)part, (int)Math.Min(PartBytes, length - part)), cancellationToken);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
