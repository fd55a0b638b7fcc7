using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Serialization;

/// <summary>
/// The wire form of every <see cref="IGmmMessage"/>: a version byte, then the fields little-endian, double arrays
/// as raw IEEE bytes. A frame that is truncated, lies about a length, or carries an unknown version raises
/// <see cref="SerializationException"/> before anything large is allocated.
/// </summary>
public sealed class GmmMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 731;

    /// <summary>The name the serializer is registered under.</summary>
    public const string Alias = "gmm";
    public const byte Version = 5;

    private const string RegisterWorkerManifest = "reg";
    private const string ParametersChunkManifest = "par";
    private const string ComputeStatisticsManifest = "cmp";
    private const string DrawSampleManifest = "smp";
    private const string GroupResultManifest = "res";
    private const string GroupFailedManifest = "err";
    private const string EndFitManifest = "end";
    private const string JoinFitManifest = "join";
    private const string NodeJoinedManifest = "joined";
    private const string NodeRefusedManifest = "refused";
    private const string PredictFileManifest = "pred";
    private const string FilePredictedManifest = "predicted";
    private const string FileProgressManifest = "progress";

    private const int RoundHeader = 1 + 16 + 4 + 4;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        RegisterWorker => RegisterWorkerManifest,
        ParametersChunk => ParametersChunkManifest,
        ComputeStatistics => ComputeStatisticsManifest,
        DrawSample => DrawSampleManifest,
        GroupResult => GroupResultManifest,
        GroupFailed => GroupFailedManifest,
        EndFit => EndFitManifest,
        JoinFit => JoinFitManifest,
        NodeJoined => NodeJoinedManifest,
        NodeRefused => NodeRefusedManifest,
        PredictFile => PredictFileManifest,
        FilePredicted => FilePredictedManifest,
        FileProgress => FileProgressManifest,
        _ => throw new SerializationException($"no wire form for {o.GetType()}"),
    };

    /// <summary>
    /// The largest frame this serializer writes: Akka's default maximum-frame-size is 128,000 bytes and drops a
    /// larger message with only a log line, so an oversized frame fails loudly here instead.
    /// </summary>
    public const int MaxFrameBytes = 100_000;

    public override byte[] ToBinary(object obj)
    {
        var frame = Write(obj);
        if (frame.Length > MaxFrameBytes)
            throw new SerializationException($"a {obj.GetType().Name} frame of {frame.Length} bytes exceeds {MaxFrameBytes}: it must be chunked");
        return frame;
    }

    private byte[] Write(object obj)
    {
        switch (obj)
        {
            case JoinFit m:
            {
                var coordinator = Akka.Serialization.Serialization.SerializedActorPath(m.Coordinator);
                var w = Start(32 + 3 * coordinator.Length + SpecSize(m.Data));
                w.Guid(m.FitId);
                w.String(coordinator);
                Spec(w, m.Data);
                Kernel(w, m.Kernel);
                return w.ToArray();
            }
            case PredictFile m:
            {
                var w = Start(52 + SpecSize(m.Data) + 3 * m.OutputPath.Length + (m.KeepColumns?.Sum(c => 4 + 3 * c.Length) ?? 0));
                w.Guid(m.JobId);
                Spec(w, m.Data);
                w.Byte((byte)m.CovarianceType);
                w.Int(m.Components);
                w.Int(m.Dimensions);
                w.Int(m.FileIndex);
                w.String(m.OutputPath);
                w.Int(m.KeepColumns?.Count ?? -1);
                foreach (var column in m.KeepColumns ?? []) w.String(column);
                return w.ToArray();
            }
            case FilePredicted m:
            {
                var w = Start(32 + 3 * (m.Error?.Length ?? 0));
                w.Guid(m.JobId);
                w.Int(m.FileIndex);
                w.Bool(m.InputError);
                w.Bool(m.Error is not null);
                if (m.Error is not null) w.String(m.Error);
                return w.ToArray();
            }
            case NodeJoined m:
            {
                var w = Start(22);
                w.Guid(m.FitId);
                w.Int(m.Workers);
                Kernel(w, m.Kernel);
                return w.ToArray();
            }
            case FileProgress m:
            {
                var w = Start(24);
                w.Guid(m.JobId);
                w.Int(m.FileIndex);
                return w.ToArray();
            }
            case NodeRefused m:
            {
                var w = Start(24 + 3 * m.Reason.Length);
                w.Guid(m.FitId);
                w.String(m.Reason);
                return w.ToArray();
            }
            case RegisterWorker m:
            {
                var w = Start(8);
                w.Int(m.Parallelism);
                return w.ToArray();
            }
            case ParametersChunk m:
            {
                var w = Start(RoundHeader + 12 + 8 * m.Values.Length);
                w.Guid(m.FitId);
                w.Int(m.Step);
                w.Int(m.Index);
                w.Int(m.Count);
                w.Doubles(m.Values);
                return w.ToArray();
            }
            case ComputeStatistics m:
            {
                var w = Start(RoundHeader + 33 + 4 * m.Groups.Length);
                Round(w, m.FitId, m.Step, m.Attempt);
                w.Byte((byte)m.CovarianceType);
                w.Int(m.Components);
                w.Int(m.Dimensions);
                w.Double(m.RegCovar);
                Kernel(w, m.Kernel);
                w.Ints(m.Groups);
                return w.ToArray();
            }
            case DrawSample m:
            {
                var w = Start(RoundHeader + 24 + 4 * m.Groups.Length);
                Round(w, m.FitId, m.Step, m.Attempt);
                w.Long(m.TotalRows);
                w.Int(m.InitSampleRows);
                w.Int(m.Seed);
                w.Ints(m.Groups);
                return w.ToArray();
            }
            case GroupResult m:
            {
                var w = Start(RoundHeader + 20 + 8 * m.Values.Length + 8 * m.ShardHashes.Length);
                Round(w, m.FitId, m.Step, m.Attempt);
                w.Int(m.Group);
                w.Int(m.Index);
                w.Int(m.Count);
                w.Doubles(m.Values);
                Hashes(w, m.ShardHashes);
                return w.ToArray();
            }
            case GroupFailed m:
            {
                var w = Start(RoundHeader + 64 + 3 * (m.ErrorType.Length + m.Message.Length));
                Round(w, m.FitId, m.Step, m.Attempt);
                w.Int(m.Group);
                w.Bool(m.InputError);
                w.String(m.ErrorType);
                w.String(m.Message);
                return w.ToArray();
            }
            case EndFit m:
            {
                var w = Start(17);
                w.Guid(m.FitId);
                return w.ToArray();
            }
            default:
                throw new SerializationException($"no wire form for {obj.GetType()}");
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var r = new FrameReader(bytes, manifest);
        var version = r.Byte();
        if (version != Version) throw r.Invalid($"version {version}, this node reads version {Version}");
        // Named arguments: C# evaluates them in the order written, which is the order of the fields in the frame.
        object message = manifest switch
        {
            RegisterWorkerManifest => new RegisterWorker(Parallelism: r.Int()),
            ParametersChunkManifest => ReadParametersChunk(ref r),
            ComputeStatisticsManifest => new ComputeStatistics(FitId: r.Guid(), Step: r.Int(), Attempt: r.Int(), CovarianceType: CovarianceOf(ref r),
                Components: r.Int(), Dimensions: r.Int(), RegCovar: r.Double(), Kernel: KernelOf(ref r) ?? throw r.Invalid("no kernel path"),
                Groups: r.Ints()),
            DrawSampleManifest => new DrawSample(FitId: r.Guid(), Step: r.Int(), Attempt: r.Int(), TotalRows: r.Long(), InitSampleRows: r.Int(),
                Seed: r.Int(), Groups: r.Ints()),
            GroupResultManifest => ReadGroupResult(ref r),
            GroupFailedManifest => new GroupFailed(FitId: r.Guid(), Step: r.Int(), Attempt: r.Int(), Group: r.Int(), InputError: r.Bool(),
                ErrorType: r.String(), Message: r.String()),
            EndFitManifest => new EndFit(FitId: r.Guid()),
            JoinFitManifest => ReadJoinFit(ref r),
            NodeJoinedManifest => new NodeJoined(FitId: r.Guid(), Workers: r.Int(), Kernel: KernelOf(ref r) ?? throw r.Invalid("no kernel path")),
            NodeRefusedManifest => new NodeRefused(FitId: r.Guid(), Reason: r.String()),
            PredictFileManifest => new PredictFile(JobId: r.Guid(), Data: ReadSpec(ref r), CovarianceType: CovarianceOf(ref r), Components: r.Int(),
                Dimensions: r.Int(), FileIndex: r.Int(), OutputPath: r.String(), KeepColumns: ReadKeepColumns(ref r)),
            FilePredictedManifest => new FilePredicted(JobId: r.Guid(), FileIndex: r.Int(), InputError: r.Bool(), Error: r.Bool() ? r.String() : null),
            FileProgressManifest => new FileProgress(JobId: r.Guid(), FileIndex: r.Int()),
            _ => throw new SerializationException($"unknown manifest '{manifest}'"),
        };
        r.End();
        return message;
    }

    /// <summary>A column list written as its count (-1 for none given) and names.</summary>
    private static string[]? ReadKeepColumns(ref FrameReader r)
    {
        var count = r.Int();
        if (count < 0) return null;
        var columns = new string[count];
        for (var i = 0; i < count; i++) columns[i] = r.String();
        return columns;
    }

    private JoinFit ReadJoinFit(ref FrameReader r)
    {
        var (fitId, coordinator) = (r.Guid(), r.String());
        var spec = ReadSpec(ref r);
        return new JoinFit(fitId, system.Provider.ResolveActorRef(coordinator), spec, KernelOf(ref r));
    }

    private static int SpecSize(DatasetSpec spec)
    {
        var f = spec.Fingerprint;
        return 64 + 24 * f.Files.Count + spec.Inputs.Concat(spec.Columns ?? []).Concat(f.Files).Concat(f.Columns).Append(f.Options).Append(spec.WeightColumn ?? "")
            .Sum(t => 4 + 3 * t.Length);
    }

    /// <summary>A kernel path as one byte; <see cref="NoKernel"/> for none (not decided yet).</summary>
    private static void Kernel(FrameWriter w, KernelPath? kernel) => w.Byte(kernel is { } k ? (byte)k : NoKernel);

    private static KernelPath? KernelOf(ref FrameReader r)
    {
        var value = r.Byte();
        if (value == NoKernel) return null;
        return Enum.IsDefined(typeof(KernelPath), (int)value) ? (KernelPath)value : throw r.Invalid($"kernel path {value}");
    }

    private const byte NoKernel = 255;

    private static void Hashes(FrameWriter w, IReadOnlyList<ulong> hashes)
    {
        w.Int(hashes.Count);
        foreach (var h in hashes) w.Long(unchecked((long)h));
    }

    private static ulong[] ReadHashes(ref FrameReader r)
    {
        var count = r.Int();
        if (count < 0 || count > r.Remaining / 8) throw r.Invalid($"{count} hashes");
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++) hashes[i] = unchecked((ulong)r.Long());
        return hashes;
    }

    private static void Longs(FrameWriter w, IReadOnlyList<long> values)
    {
        w.Int(values.Count);
        foreach (var v in values) w.Long(v);
    }

    private static long[] ReadLongs(ref FrameReader r)
    {
        var count = r.Int();
        if (count < 0 || count > r.Remaining / 8) throw r.Invalid($"{count} numbers");
        var values = new long[count];
        for (var i = 0; i < count; i++) values[i] = r.Long();
        return values;
    }

    private static void Fingerprint(FrameWriter w, DataFingerprint f)
    {
        Strings(w, [.. f.Files]);
        Longs(w, f.FileRows);
        Longs(w, f.FileSizes);
        Hashes(w, f.FooterHashes);
        Strings(w, [.. f.Columns]);
        w.Int(f.Shards);
        w.String(f.Options);
    }

    private static DataFingerprint ReadFingerprint(ref FrameReader r)
    {
        var (files, rows, sizes, footers) = (ReadStrings(ref r), ReadLongs(ref r), ReadLongs(ref r), ReadHashes(ref r));
        if (rows.Length != files.Length || sizes.Length != files.Length || footers.Length != files.Length)
            throw r.Invalid($"a fingerprint of {files.Length} files with {rows.Length} row counts, {sizes.Length} sizes, {footers.Length} footer hashes");
        return new DataFingerprint(files, rows, sizes, footers, ReadStrings(ref r), r.Int(), r.String());
    }

    private static void Spec(FrameWriter w, DatasetSpec spec)
    {
        Strings(w, spec.Inputs);
        w.Bool(spec.Columns is not null);
        if (spec.Columns is not null) Strings(w, spec.Columns);
        w.Int(spec.OnInvalid);
        w.Int(spec.ShardRows);
        Fingerprint(w, spec.Fingerprint);
        w.Bool(spec.WeightColumn is not null);
        if (spec.WeightColumn is not null) w.String(spec.WeightColumn);
        w.Bool(spec.Float32Values);
    }

    private static DatasetSpec ReadSpec(ref FrameReader r)
    {
        var inputs = ReadStrings(ref r);
        var columns = r.Bool() ? ReadStrings(ref r) : null;
        var (onInvalid, shardRows, fingerprint) = (r.Int(), r.Int(), ReadFingerprint(ref r));
        var weightColumn = r.Bool() ? r.String() : null;
        return new DatasetSpec(inputs, columns, onInvalid, shardRows, fingerprint, weightColumn, r.Bool());
    }

    private static void Strings(FrameWriter w, string[] values)
    {
        w.Int(values.Length);
        foreach (var v in values) w.String(v);
    }

    private static string[] ReadStrings(ref FrameReader r)
    {
        var count = r.Int();
        // Each string takes at least its 4-byte length: a count larger than the rest of the frame is a lie.
        if (count < 0 || count > r.Remaining / 4) throw r.Invalid($"{count} strings");
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = r.String();
        return values;
    }

    private static ParametersChunk ReadParametersChunk(ref FrameReader r)
    {
        var (fitId, step, index, count) = (r.Guid(), r.Int(), r.Int(), r.Int());
        CheckChunk(ref r, index, count);
        return new ParametersChunk(fitId, step, index, count, r.Doubles());
    }

    private static GroupResult ReadGroupResult(ref FrameReader r)
    {
        var (fitId, step, attempt, group, index, count) = (r.Guid(), r.Int(), r.Int(), r.Int(), r.Int(), r.Int());
        CheckChunk(ref r, index, count);
        return new GroupResult(fitId, step, attempt, group, index, count, r.Doubles(), ReadHashes(ref r));
    }

    private static void CheckChunk(ref FrameReader r, int index, int count)
    {
        if (count < 1 || index < 0 || index >= count) throw r.Invalid($"chunk {index} of {count}");
    }

    private static CovarianceType CovarianceOf(ref FrameReader r)
    {
        var value = r.Byte();
        return Enum.IsDefined(typeof(CovarianceType), (int)value) ? (CovarianceType)value : throw r.Invalid($"covariance type {value}");
    }

    /// <summary>
    /// A frame with its version byte written. <paramref name="capacity"/> is each message's estimate of its size (fixed
    /// fields, then about 3 bytes a UTF-8 character), so most frames are written without growing; a low estimate costs
    /// one copy, never a wrong frame: the bytes' meaning is in the writes alone.
    /// </summary>
    private static FrameWriter Start(int capacity)
    {
        var w = new FrameWriter(capacity + 1);
        w.Byte(Version);
        return w;
    }

    private static void Round(FrameWriter w, Guid fitId, int step, int attempt)
    {
        w.Guid(fitId);
        w.Int(step);
        w.Int(attempt);
    }
}
