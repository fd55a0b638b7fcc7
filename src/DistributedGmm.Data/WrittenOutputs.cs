using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Data;

/// <summary>
/// Removes outputs a failed or cancelled job had already written, local files or s3:// objects alike, so the job
/// leaves nothing behind; what cannot be removed is named in a warning.
/// </summary>
public static class WrittenOutputs
{
    public static async Task RemoveAsync(IEnumerable<string> outputs)
    {
        foreach (var output in outputs)
        {
            try
            {
                if (ObjectUri.IsObjectUri(output)) await ObjectStores.Default.DeleteAsync(ObjectUri.Parse(output), CancellationToken.None).ConfigureAwait(false);
                else File.Delete(output);
            }
            catch (Exception e) when (e is DataException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"warning: {output}: could not remove this partial output ({e.Message})");
            }
        }
    }
}
