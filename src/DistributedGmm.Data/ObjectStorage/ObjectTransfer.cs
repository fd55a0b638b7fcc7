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
        store ??= ObjectStores.Default;
        var target = ObjectUri.Parse(uri);
        var temporary = Path.Combine(Path.GetTempPath(), $"gmm-upload-{Guid.NewGuid():N}.tmp");
        var uploading = false;
        try
        {
            writeLocal(temporary);
            uploading = true;
            await store.UploadAsync(temporary, target, cancellationToken).ConfigureAwait(false);
        }
        catch when (uploading)
        {
            await RemoveIfOursAsync(store, target, temporary).ConfigureAwait(false);
            throw;
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

    /// <summary>
    /// Uploads finished local files, each to its s3:// address, each object whole or not at all; if one fails or the
    /// upload is cancelled, the objects this call already wrote are deleted again, so a failed run leaves none.
    /// </summary>
    public static async Task UploadAllAsync(IReadOnlyList<(string Local, string Uri)> files, ObjectStore? store = null, CancellationToken cancellationToken = default)
    {
        store ??= ObjectStores.Default;
        var written = new List<ObjectUri>();
        (string Local, ObjectUri Target)? inFlight = null;
        try
        {
            foreach (var (local, uri) in files)
            {
                var target = ObjectUri.Parse(uri);
                inFlight = (local, target);
                await store.UploadAsync(local, target, cancellationToken).ConfigureAwait(false);
                written.Add(target);
                inFlight = null;
            }
        }
        catch
        {
            foreach (var uri in written) await RemoveAsync(store, uri).ConfigureAwait(false);
            if (inFlight is { } pending) await RemoveIfOursAsync(store, pending.Target, pending.Local).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// After a failed upload: an upload that failed after its bytes landed (its answer lost) is ours too, and removed,
    /// when the object's ETag is the one our bytes give; an object another writer put there is left alone.
    /// </summary>
    private static async Task RemoveIfOursAsync(ObjectStore store, ObjectUri target, string local)
    {
        if (await store.HoldsAsync(target, local).ConfigureAwait(false)) await RemoveAsync(store, target).ConfigureAwait(false);
    }

    private static async Task RemoveAsync(ObjectStore store, ObjectUri uri)
    {
        try
        {
            await store.DeleteAsync(uri, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DataException e)
        {
            Console.Error.WriteLine($"warning: {uri}: could not remove this partial output ({e.Message})");
        }
    }
}
