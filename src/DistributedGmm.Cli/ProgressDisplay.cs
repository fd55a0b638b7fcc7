using System.Collections.Concurrent;
using System.Globalization;
using DistributedGmm.Cluster;
using DistributedGmm.Core.Estimation;
using Spectre.Console;

namespace DistributedGmm.Cli;

/// <summary>Shows a running fit's iterations on stderr (stdout is kept for results), either live or as plain lines, never both.</summary>
internal static class ProgressDisplay
{
    private const int LiveRows = 12;
    private const int StatusRows = 5;

    public static ProgressMode Choose(bool quiet)
    {
        if (quiet) return ProgressMode.None;
        var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && Environment.GetEnvironmentVariable("TERM") is not "dumb"
            && Environment.GetEnvironmentVariable("CI") is null;
        return interactive ? ProgressMode.Live : ProgressMode.Plain;
    }

    /// <summary>
    /// Runs <paramref name="run"/> with the progress sink of <paramref name="mode"/> and a sink for status lines
    /// (a worker joined or was lost): plain lines on stderr, or under the live table, which they would otherwise cut into.
    /// </summary>
    public static async Task<T> RunAsync<T>(ProgressMode mode, string title, Func<IProgress<FitProgress>?, Action<string>, Task<T>> run)
    {
        switch (mode)
        {
            case ProgressMode.None:
                return await run(null, PlainStatus);
            case ProgressMode.Plain:
                return await run(new LineProgress(title), PlainStatus);
            default:
                return await RunLiveAsync(title, run);
        }
    }

    /// <summary>A status line as a plain line on stderr.</summary>
    public static void PlainStatus(string line) => Console.Error.WriteLine($"gmm: {line}");

    public static string Line(FitProgress s) => string.Create(CultureInfo.InvariantCulture,
        $"{(s.Step.Restart > 0 ? $"restart {s.Step.Restart + 1} " : "")}iteration {IterationCell(s.Step)}: mean log-likelihood {s.Step.MeanLogLikelihood:F6}, change {Change(s.Step)}, {s.Step.Elapsed.TotalSeconds:F3} s, {Plural.Of(s.LiveWorkers, "worker")}, {Plural.Of(s.Shards, "shard")}");

    /// <summary>The iteration, and the data passes so far when they differ (SQUAREM takes several an iteration).</summary>
    private static string IterationCell(IterationProgress s) => s.Pass == s.Iteration
        ? s.Iteration.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{s.Iteration} (pass {s.Pass})");

    private static string Change(IterationProgress s) =>
        s.Iteration <= 1 || double.IsInfinity(s.Change) ? "-" : s.Change.ToString("+0.000e+00;-0.000e+00", CultureInfo.InvariantCulture);

    private static async Task<T> RunLiveAsync<T>(string title, Func<IProgress<FitProgress>?, Action<string>, Task<T>> run)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var steps = new ConcurrentQueue<FitProgress>();
        var table = LiveTable(title);
        var status = new StatusTail(StatusRows);
        var started = DateTime.UtcNow;
        var task = run(new Reporter(steps.Enqueue), line => status.Add($"gmm: {line}"));
        await console.Live(table).AutoClear(false).StartAsync(async context =>
        {
            while (true)
            {
                while (steps.TryDequeue(out var s))
                {
                    table.AddRow((s.Step.Restart + 1).ToString(CultureInfo.InvariantCulture), IterationCell(s.Step),
                        s.Step.MeanLogLikelihood.ToString("F6", CultureInfo.InvariantCulture), Change(s.Step),
                        s.Step.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture), s.LiveWorkers.ToString(CultureInfo.InvariantCulture),
                        s.Shards.ToString(CultureInfo.InvariantCulture));
                    while (table.Rows.Count > LiveRows) table.Rows.RemoveAt(0);
                }
                table.Caption($"{(DateTime.UtcNow - started).TotalSeconds:F1} s elapsed");
                var lines = status.Lines;
                context.UpdateTarget(lines.Count == 0 ? table : new Rows(table, new Text(string.Join('\n', lines), new Style(Color.Grey))));
                context.Refresh();
                if (task.IsCompleted) break;
                await Task.WhenAny(task, Task.Delay(120));
            }
        });
        return await task;
    }

    /// <summary>
    /// The live table, its headers short enough that with the widest values they fit in 80 columns (a long header
    /// was cut to "log-likelihoo…" there).
    /// </summary>
    internal static Table LiveTable(string title) =>
        new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title))
            .AddColumn("start").AddColumn(new TableColumn("iter").RightAligned())
            .AddColumn(new TableColumn("mean log-lik").RightAligned()).AddColumn(new TableColumn("change").RightAligned())
            .AddColumn(new TableColumn("s/iter").RightAligned()).AddColumn(new TableColumn("workers").RightAligned())
            .AddColumn(new TableColumn("shards").RightAligned());

    /// <summary>The title goes out with the first iteration, so a fit that fails before it leaves only the error line.</summary>
    private sealed class LineProgress(string title) : IProgress<FitProgress>
    {
        private readonly Lock _gate = new();
        private bool _started;

        public void Report(FitProgress value)
        {
            lock (_gate)
            {
                if (!_started) Console.Error.WriteLine($"gmm: {title}");
                _started = true;
                Console.Error.WriteLine(Line(value));
            }
        }
    }

    private sealed class Reporter(Action<FitProgress> report) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => report(value);
    }
}
