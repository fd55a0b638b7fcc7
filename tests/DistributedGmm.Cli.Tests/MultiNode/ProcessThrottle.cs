namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// Slows a process down without faulting it: stopped (SIGSTOP) for <c>pause</c>, then running for <c>run</c>, over and
/// over until disposed, which lets it run again. Pauses far shorter than the failure detector's acceptable pause keep
/// its heartbeats on time, so the cluster sees a slow member, not an unreachable one.
/// </summary>
internal sealed class ProcessThrottle : IDisposable
{
    private readonly GmmProcess _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessThrottle(GmmProcess process, TimeSpan run, TimeSpan pause)
    {
        _process = process;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && !process.HasExited)
            {
                process.Signal("STOP");
                await Delay(pause);
                process.Signal("CONT");
                await Delay(run);
            }
        });
    }

    private async Task Delay(TimeSpan span)
    {
        try
        {
            await Task.Delay(span, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposed: the loop ends after letting the process run.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _process.Signal("CONT");
        _stop.Dispose();
    }
}
