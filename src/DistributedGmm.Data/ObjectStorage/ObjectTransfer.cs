namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// Small whole files (models) to and from object storage, through a private temporary file: the writer writes
/// the file as it would locally, then one upload makes the object appear whole (see <see cref="ObjectStore.UploadAsync"/>);
/// a failure before or during the upload leaves no object.
/// </summary>
public static class ObjectTransfer
{
    public static async Task WriteAsync(string uri, Action<string> writeLocal, ObjectStore? store = null, CancellationToken cancellationToken = default)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"gmm-upload-{Guid.NewGuid():N}.tmp");
        try
        {
            writeLocal(temporary);
            await (store ?? ObjectStores.Default).UploadAsync(temporary, ObjectUri.Parse(uri), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static async Task<T> ReadAsync<T>(string uri, Func<string, T> readLocal, ObjectStore? store = null, CancellationToken cancellationToken = default)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"gmm-download-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite))
                await (store ?? ObjectStores.Default).DownloadAsync(ObjectUri.Parse(uri), file, cancellationToken).ConfigureAwait(false);
            return readLocal(temporary);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
