using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// A read-only, seekable view of one object for Parquet.Net that fetches by range and never the whole object: on
/// opening, the last 64 KiB (and a second range only when the footer is longer); then, for the row group about to
/// be decoded, all of its selected column chunks when the decoder first touches one, by parallel requests (adjacent chunks
/// merged, then one request per 2 MiB part) into one reused buffer, so a row group's bytes are held once and the
/// requests' latencies overlap. A read outside every planned range fetches what it asks for, with a little read-ahead.
/// Not thread-safe: one per <see cref="ShardReader"/>, as a FileStream is.
/// </summary>
internal sealed class ObjectRangeStream : Stream
{
    public const int TailBytes = 64 << 10;
    private const int PartBytes = 2 << 20;
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
    private PlannedPart[] _parts = [];
    private bool _plannedStarted;

    /// <summary>One ranged GET of the planned bytes: where it lies in the object and in the buffer, and its request.</summary>
    private sealed record PlannedPart(long Start, int Offset, int Length, Task Request);
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

    /// <summary>
    /// The byte ranges the next reads will want (a row group's selected column chunks), fetched when one is first
    /// touched. Always fetched anew, even for the row group held last: a decode re-reads by range, as the shard
    /// cache's budget promises, and so meets a replaced object.
    /// </summary>
    public void Plan(IEnumerable<(long Start, long Length)> ranges)
    {
        var planned = Coalesced(ranges.Where(r => r.Length > 0).Select(r => (r.Start, Math.Min(r.Length, _object.Size - r.Start))).OrderBy(r => r.Start));
        _planned = planned;
        _plannedStarted = false;
    }

    /// <summary>Adjacent (or overlapping) column chunks as one range: fewer requests for exactly the same bytes.</summary>
    private static (long Start, long Length)[] Coalesced(IEnumerable<(long Start, long Length)> sorted)
    {
        var merged = new List<(long Start, long Length)>();
        foreach (var (start, length) in sorted)
        {
            if (merged.Count > 0 && start <= merged[^1].Start + merged[^1].Length)
            {
                var last = merged[^1];
                merged[^1] = (last.Start, Math.Max(last.Start + last.Length, start + length) - last.Start);
            }
            else merged.Add((start, length));
        }
        return [.. merged];
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
        if (PartAt(_position) is { } pending) await pending.Request.WaitAsync(cancellationToken).ConfigureAwait(false);
        else await FetchAsync(_position, buffer.Length, cancellationToken).ConfigureAwait(false);
        return TryCopy(buffer.Span);
    }

    /// <summary>Copies from what is held: the bytes read, or -1 when the position is in nothing held.</summary>
    private int TryCopy(Span<byte> buffer)
    {
        if (buffer.Length == 0 || _position >= _object.Size) return 0;
        var wanted = (int)Math.Min(buffer.Length, _object.Size - _position);
        if (_plannedStarted)
        {
            foreach (var part in _parts)
            {
                if (_position < part.Start || _position >= part.Start + part.Length) continue;
                // A part still on its way: the caller waits for it (ReadAsync), while the later parts keep coming.
                if (!part.Request.IsCompletedSuccessfully) return -1;
                return Copy(_plannedBytes.AsSpan(part.Offset, part.Length), part.Start, buffer[..wanted]);
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

    private PlannedPart? PartAt(long position) =>
        _plannedStarted ? _parts.FirstOrDefault(p => position >= p.Start && position < p.Start + p.Length) : null;

    /// <summary>
    /// Starts every planned range's requests when the position is in one (the read then waits for the part that
    /// holds it, so decoding overlaps the later parts' transfer), else fetches the bytes asked for, and some
    /// read-ahead, into the chunk buffer.
    /// </summary>
    private async Task FetchAsync(long position, int count, CancellationToken cancellationToken)
    {
        if (!_plannedStarted && _planned.Any(r => position >= r.Start && position < r.Start + r.Length))
        {
            await StartPlannedAsync(cancellationToken).ConfigureAwait(false);
            if (PartAt(position) is { } part) await part.Request.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        await Task.WhenAll(Parts(position, _chunk, 0, length, cancellationToken).Select(p => p.Request)).ConfigureAwait(false);
        (_chunkStart, _chunkLength) = (position, (int)length);
    }

    private async Task StartPlannedAsync(CancellationToken cancellationToken)
    {
        // The last row group's requests may still be writing into the buffer (a read that failed did not wait for
        // them all): let them finish before it is reused.
        await WhenSettled(_parts).ConfigureAwait(false);
        var total = checked((int)_planned.Sum(r => r.Length));
        if (_plannedBytes.Length < total) _plannedBytes = GC.AllocateUninitializedArray<byte>(total);
        var parts = new List<PlannedPart>();
        var offset = 0;
        foreach (var (start, length) in _planned)
        {
            parts.AddRange(Parts(start, _plannedBytes, offset, length, cancellationToken));
            offset += (int)length;
        }
        _parts = [.. parts];
        _plannedStarted = true;
    }

    private static async Task WhenSettled(IEnumerable<PlannedPart> parts)
    {
        foreach (var part in parts)
        {
            try
            {
                await part.Request.ConfigureAwait(false);
            }
            catch (Exception e) when (e is DataException or OperationCanceledException)
            {
                // Already reported to the read that waited for it.
            }
        }
    }

    /// <summary>Ranged GETs of at most 2 MiB each for <paramref name="length"/> bytes from <paramref name="start"/>, started at once.</summary>
    private List<PlannedPart> Parts(long start, byte[] destination, int destinationOffset, long length, CancellationToken cancellationToken)
    {
        var parts = new List<PlannedPart>();
        for (long part = 0; part < length; part += PartBytes)
        {
            var size = (int)Math.Min(PartBytes, length - part);
            var offset = destinationOffset + (int)part;
            parts.Add(new PlannedPart(start + part, offset, size, _store.ReadAsync(_object, start + part, destination.AsMemory(offset, size), cancellationToken)));
        }
        return parts;
    }

    protected override void Dispose(bool disposing)
    {
        // Requests still writing into the buffers end before the stream (and its reader) is gone.
        if (disposing) WhenSettled(_parts).GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
