using System.Diagnostics;

namespace DistributedGmm.Cli.Tests;

/// <summary>The built <c>gmm</c> program run as a real process: <c>dotnet gmm.dll …</c> in a given folder, output redirected.</summary>
internal static class Gmm
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>gmm.dll sits beside the test assembly: the test project references the Cli project.</summary>
    public static string Dll { get; } = typeof(GmmApp).Assembly.Location;

    public static Result Run(string workingDirectory, params string[] args) => Start(workingDirectory, args, out var process).Wait(process);

    /// <summary>As <see cref="Run(string, string[])"/>, with environment variables set (or, when null, removed).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string?> environment, string workingDirectory, params string[] args) =>
        Start(workingDirectory, args, out var process, environment).Wait(process);

    public static Pending Start(string workingDirectory, string[] args, out Process process, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("GMM_DEBUG");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        process = Process.Start(info)!;
        return new Pending(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    public sealed record Pending(Task<string> Stdout, Task<string> Stderr)
    {
        public Result Wait(Process process)
        {
            using (process)
            {
                if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("gmm did not finish within 2 minutes");
                }
                return new Result(process.ExitCode, Stdout.GetAwaiter().GetResult(), Stderr.GetAwaiter().GetResult());
            }
        }
    }
}
