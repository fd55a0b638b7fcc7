using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>
/// A small HTTP/1.1 proxy in front of s3rver that spoils every <c>Every</c>-th request: either it answers
/// 503 SlowDown (S3's throttling answer, with S3's XML error body) without forwarding, or it forwards the request
/// and cuts the connection half-way through the response body. Or (<see cref="Fault.DenyWrites"/>) it answers every
/// request that would write (PUT, POST, DELETE) 403 AccessDenied, as S3 does for a key without s3:PutObject, and
/// relays the reads: a read-only principal. Requests are relayed byte for byte (the client's
/// signature, computed for the Host it sent, still holds: s3rver checks it against the headers it receives).
/// After <see cref="Hold"/> no request reaches the server any more: each is read whole and kept until the proxy is
/// disposed.
/// </summary>
public sealed class FaultyProxy : LoopbackProxy
{
    public enum Fault { SlowDown, CutBody, DenyWrites, LoseWriteAnswers }

    private readonly int _upstreamPort;
    private readonly Fault _fault;
    private readonly int _every;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requestLines = new();
    private int _requests;
    private int _spoiled;
    private int _held;
    private volatile bool _holding;

    public FaultyProxy(int upstreamPort, Fault fault, int every = 3)
    {
        (_upstreamPort, _fault, _every) = (upstreamPort, fault, every);
        Start();
    }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The request line ("PUT /bucket/key?partNumber=1&amp;uploadId=… HTTP/1.1") of every request relayed or spoiled, in arrival order.</summary>
    public IReadOnlyList<string> RequestLines => [.. _requestLines];

    /// <summary>Requests answered 503 or cut short.</summary>
    public int Spoiled => Volatile.Read(ref _spoiled);

    /// <summary>Requests kept back since <see cref="Hold"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>From now on every request is read whole and kept, never relayed nor answered, until the proxy is disposed.</summary>
    public void Hold() => _holding = true;

    protected override async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var downstream = client.GetStream();
        try
        {
            while (await ReadMessageAsync(downstream, isResponse: false, downstream) is { } request)
            {
                var requestHead = Encoding.ASCII.GetString(request.Bytes, 0, request.HeadLength);
                _requestLines.Enqueue(requestHead[..requestHead.IndexOf("\r\n", StringComparison.Ordinal)]);
                if (_holding)
                {
                    Interlocked.Increment(ref _held);
                    await Task.Delay(Timeout.Infinite, Stop.Token);
                }
                var spoil = Interlocked.Increment(ref _requests) % _every == 0;
                if (_fault == Fault.DenyWrites && requestHead.Split(' ')[0] is "PUT" or "POST" or "DELETE")
                {
                    Interlocked.Increment(ref _spoiled);
                    await AnswerAsync(downstream, "403 Forbidden", "AccessDenied", "Access Denied");
                    continue;
                }
                if (spoil && _fault == Fault.SlowDown)
                {
                    Interlocked.Increment(ref _spoiled);
                    await AnswerAsync(downstream, "503 Slow Down", "SlowDown", "Please reduce your request rate.");
                    continue;
                }
                using var upstreamClient = new TcpClient();
                await upstreamClient.ConnectAsync(IPAddress.Loopback, _upstreamPort);
                var upstream = upstreamClient.GetStream();
                await upstream.WriteAsync(request.Bytes);
                var response = await ReadMessageAsync(upstream, isResponse: true) ?? throw new IOException("no response upstream");
                if (spoil && response.BodyLength > 1)
                {
                    Interlocked.Increment(ref _spoiled);
                    await downstream.WriteAsync(response.Bytes.AsMemory(0, response.HeadLength + response.BodyLength / 2));
                    return; // the connection closes mid-body
                }
                if (_fault == Fault.LoseWriteAnswers && requestHead.StartsWith("PUT ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _spoiled);
                    return; // the server took the bytes; its answer never reaches the client
                }
                await downstream.WriteAsync(response.Bytes);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>An S3 error answer (status line, XML body) in place of the server's.</summary>
    private static async Task AnswerAsync(Stream downstream, string status, string code, string message)
    {
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
        await downstream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\n\r\n"));
        await downstream.WriteAsync(body);
    }

    private sealed record Message(byte[] Bytes, int HeadLength, int BodyLength);

    /// <summary>One HTTP/1.1 message: head, then a body of Content-Length bytes (the server's chunked bodies are de-chunked), or null at the end of the stream.</summary>
    private static async Task<Message?> ReadMessageAsync(Stream stream, bool isResponse, Stream? client = null)
    {
        var one = new byte[1];
        string text;
        do
        {
            var head = new List<byte>();
            while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            {
                if (await stream.ReadAsync(one) == 0) return null;
                head.Add(one[0]);
            }
            text = Encoding.ASCII.GetString(head.ToArray());
        } while (isResponse && text.StartsWith("HTTP/1.1 100", StringComparison.Ordinal)); // the upstream's own "100 Continue": the client had ours
        if (!isResponse && client is not null && text.Contains("Expect: 100-continue", StringComparison.OrdinalIgnoreCase))
            await client.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray());
        var lines = text.Split("\r\n");
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
        byte[] body;
        if (Header("Content-Length") is { } length)
        {
            body = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body);
        }
        else if (Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var all = new MemoryStream();
            while (true)
            {
                var sizeLine = new List<byte>();
                while (!(sizeLine.Count >= 2 && sizeLine[^2] == '\r' && sizeLine[^1] == '\n'))
                {
                    await stream.ReadExactlyAsync(one);
                    sizeLine.Add(one[0]);
                }
                var size = Convert.ToInt32(Encoding.ASCII.GetString(sizeLine.ToArray()).Trim().Split(';')[0], 16);
                var chunk = new byte[size + 2];
                await stream.ReadExactlyAsync(chunk);
                if (size == 0) break;
                all.Write(chunk, 0, size);
            }
            body = all.ToArray();
            text = string.Join("\r\n", lines.Where(l => !l.StartsWith("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && l.Length > 0)) +
                   $"\r\nContent-Length: {body.Length}\r\n\r\n";
        }
        else body = isResponse && !text.StartsWith("HTTP/1.1 204", StringComparison.Ordinal) && !text.StartsWith("HTTP/1.1 304", StringComparison.Ordinal) ? await ReadToEndAsync(stream) : [];
        var headBytes = Encoding.ASCII.GetBytes(text);
        return new Message([.. headBytes, .. body], headBytes.Length, body.Length);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var all = new MemoryStream();
        await stream.CopyToAsync(all);
        return all.ToArray();
    }
}
