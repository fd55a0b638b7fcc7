using System.Diagnostics;
using System.Text;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// A long-running <c>gmm</c> process (a node, or a coordinator watched while it runs): output collected line by
/// line, waited on with timeouts, and always killed on Dispose.
/// </summary>
internal sealed class GmmProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public GmmProcess(string workingDirectory, params string[] args) : this(workingDirectory, new Dictionary<string, string>(), args) { }

    /// <summary>With <paramref name="environment"/> set for this process only (e.g. GMM_KERNEL).</summary>
    public GmmProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Gmm.Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var name in new[] { "GMM_DEBUG", "GMM_HOST", "GMM_PORT", "GMM_SEED_NODES", "GMM_CONFIG", "GMM_BIND_HOST" }) info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public int ExitCode => _process.ExitCode;
    public TimeSpan Elapsed => _clock.Elapsed;
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null) return;
        lock (to) to.AppendLine(line);
    }

    /// <summary>Waits until stderr holds <paramref name="text"/>; fails the test if the process exits or time runs out first.</summary>
    public async Task WaitForStderrAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"gmm exited before writing '{text}':\n{this}");
            if (deadline.Elapsed > timeout) throw new TimeoutException($"gmm did not write '{text}' within {timeout}:\n{this}");
            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
            throw new TimeoutException($"gmm did not exit within {timeout}:\n{this}");
        _process.WaitForExit(); // drains the redirected output
        _clock.Stop();
        return _process.ExitCode;
    }

    public void Signal(string signal)
    {
        ProcessSignal.Send(_process, signal);
    }

    public override string ToString() => $"--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
    }
}
