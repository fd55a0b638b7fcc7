using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>
/// A real S3-protocol server for tests: s3rver 3.7.1 (installed by .ci/run into tests/tools with npm) on loopback,
/// on a free port, over a temporary directory, path-style only (--no-vhost-buckets). It checks request signatures
/// against its default key pair S3RVER/S3RVER. Stopped by its process id; <see cref="Restart"/> brings it back on
/// the same port and directory.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private Process? _process;

    public S3rverProcess()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("gmm-s3rver-").FullName;
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    /// <summary>Where s3rver keeps buckets, objects and multipart uploads in progress.</summary>
    public string Directory { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>s3rver.js in tests/tools/node_modules, found from the test assembly upwards.</summary>
    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, "tests", "tools", "node_modules", "s3rver", "bin", "s3rver.js");
                if (File.Exists(script)) return script;
            }
            throw new InvalidOperationException("s3rver is not installed: run `npm ci` in tests/tools (.ci/run does)");
        }
    }

    public void Stop()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Restart()
    {
        Stop();
        Start();
    }

    private void Start()
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Script, "-d", Directory, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-vhost-buckets", "-s" })
            info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} on start");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Stop();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
