using System.Text.Json;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

/// <summary>The settings' <c>prior</c> object, as the model file and the checkpoint file both write it.</summary>
internal static class PriorSettingsJson
{
    public static void Write(Utf8JsonWriter json, PriorSettings prior)
    {
        json.WriteStartObject("prior");
        json.WriteNumber("shrinkage", prior.Shrinkage);
        if (prior.Dof is { } dof) json.WriteNumber("dof", dof); else json.WriteNull("dof");
        if (prior.Scale is { } scale) json.WriteNumber("scale", scale); else json.WriteNull("scale");
        json.WriteEndObject();
    }
}
