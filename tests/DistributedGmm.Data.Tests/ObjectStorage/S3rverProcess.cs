using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>
/// A real S3-protocol server for tests: s3rver 3.7.1 (installed into tests/tools with npm) on loopback,
/// on a free port, over a temporary directory, path-style only, started by tests/tools/s3rver-with-uploads.js,
/// which adds what s3rver lacks: ListMultipartUploads and AbortMultipartUpload, and the Signature Version 4 check
/// against the secret key of its default key pair S3RVER/S3RVER. Stopped by its process id; <see cref="Restart"/>
/// brings it back on the same port and directory.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private Process? _process;

    public S3rverProcess()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("gmm-s3rver-").FullName;
        Port = LoopbackPorts.Claim();
        Start();
    }

    public int Port { get; }

    /// <summary>Where s3rver keeps buckets, objects and multipart uploads in progress.</summary>
    public string Directory { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// tests/tools/s3rver-with-uploads.js, found from the test assembly upwards, with s3rver in tests/tools/node_modules. The first test that needs it on a
    /// fresh clone installs it there (<c>npm ci</c>, pinned by tests/tools/package-lock.json), so the README's
    /// <c>dotnet test</c> needs nothing more than Node.js and npm; a lock file keeps two test processes from
    /// installing at once.
    /// </summary>
    public static string Script => LazyScript.Value;

    private static readonly Lazy<string> LazyScript = new(FindOrInstall);

    private static string FindOrInstall()
    {
        var tools = ToolsFolder();
        var launcher = Path.Combine(tools, "s3rver-with-uploads.js");
        var installed = Path.Combine(tools, "node_modules", "s3rver", "lib", "s3rver.js");
        if (File.Exists(installed)) return launcher;
        using (AcquireInstallLock(Path.Combine(tools, "node_modules.lock")))
        {
            if (!File.Exists(installed)) InstallInto(tools);
        }
        return File.Exists(installed) ? launcher : throw new InvalidOperationException($"npm ci in {tools} did not install s3rver");
    }

    private static string ToolsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tools = Path.Combine(dir.FullName, "tests", "tools");
            if (File.Exists(Path.Combine(tools, "package-lock.json"))) return tools;
        }
        throw new InvalidOperationException("tests/tools/package-lock.json not found above the test assembly");
    }

    private static FileStream AcquireInstallLock(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < InstallBound)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void InstallInto(string tools)
    {
        var info = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process npm;
        try
        {
            npm = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"the object-storage tests need Node.js and npm to install s3rver into {tools}: {e.Message}");
        }
        using (npm)
        {
            var errors = npm.StandardError.ReadToEndAsync();
            npm.StandardOutput.ReadToEnd();
            if (!npm.WaitForExit(InstallBound) || npm.ExitCode != 0)
                throw new InvalidOperationException($"npm ci in {tools} failed: {errors.Result}");
        }
    }

    private static readonly TimeSpan InstallBound = TimeSpan.FromMinutes(5);

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
        foreach (var a in new[] { Script, Directory, "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
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

    public void Dispose()
    {
        Stop();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
