using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
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
}
