using System.Text.Json;
using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Core.Persistence;

/// <summary>The <c>degenerate_events</c> array, as the model file and the checkpoint file both write it.</summary>
internal static class DegenerateEventsJson
{
    public static void Write(Utf8JsonWriter json, IEnumerable<DegenerateEvent> events)
    {
        json.WriteStartArray("degenerate_events");
        foreach (var e in events)
        {
            json.WriteStartObject();
            json.WriteNumber("iteration", e.Iteration);
            json.WriteNumber("component", e.Component);
            json.WriteString("action", e.Action.ToName());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
