using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;
using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Cli;

/// <summary>Model files on disk or in object storage (s3://…): the same JSON, the object written whole or not at all.</summary>
internal static class ModelStorage
{
    public static FittedModel Read(string path) => ObjectUri.IsObjectUri(path)
        ? ObjectTransfer.ReadAsync(path, local => ModelFile.Parse(File.ReadAllBytes(local), path)).GetAwaiter().GetResult()
        : ModelFile.Read(path);

    public static void Write(string path, FittedModel model)
    {
        if (ObjectUri.IsObjectUri(path)) ObjectTransfer.WriteAsync(path, local => ModelFile.Write(local, model)).GetAwaiter().GetResult();
        else ModelFile.Write(path, model);
    }

    /// <summary>
    /// Removes a model this run has just written, because another output of the same run failed: the object, or the
    /// regular file a local path reaches (a link stays; a device or FIFO, written to directly, is left alone). What
    /// cannot be removed is named in a warning; the run's own error follows.
    /// </summary>
    public static void Remove(string path)
    {
        try
        {
            if (ObjectUri.IsObjectUri(path))
                ObjectStores.Default.DeleteAsync(ObjectUri.Parse(path), CancellationToken.None).GetAwaiter().GetResult();
            else if (OutputTarget.Resolve(path) is { Direct: false } target)
                File.Delete(target.WritePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DataException or OutputException)
        {
            ErrorReport.Warning($"{path}: could not remove this partial output ({e.Message})");
        }
    }
}
