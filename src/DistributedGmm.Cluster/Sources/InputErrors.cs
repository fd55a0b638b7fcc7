using System.Collections.Concurrent;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// Which exceptions mean "the user's input is bad" (fail the fit with their message, no retry), and how the
/// coordinator re-creates them from a worker's report so the caller sees the original type and message.
/// The data layer's exception is registered by its adapter; anything unregistered is treated as a fault of the
/// worker and retried elsewhere.
/// </summary>
public static class InputErrors
{
    private static readonly ConcurrentDictionary<string, Func<string, Exception>> Factories = new()
    {
        [typeof(InvalidDataException).FullName!] = m => new InvalidDataException(m),
        [typeof(FileNotFoundException).FullName!] = m => new FileNotFoundException(m),
        [typeof(DirectoryNotFoundException).FullName!] = m => new DirectoryNotFoundException(m),
    };

    public static void Register<T>(Func<string, T> create) where T : Exception => Factories[typeof(T).FullName!] = create;

    public static bool IsInputError(Exception exception) => Factories.ContainsKey(NameOf(exception));

    public static string NameOf(Exception exception) => exception.GetType().FullName!;

    /// <summary>The exception a worker reported, as the same type when it is registered.</summary>
    public static Exception Recreate(string typeName, string message) =>
        Factories.TryGetValue(typeName, out var create) ? create(message) : new FitFailedException(message);
}
