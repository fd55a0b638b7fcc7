using System.Text.Json;

namespace DistributedGmm.Cli;

/// <summary>One JSON object on stdout, then a newline.</summary>
internal static class JsonOut
{
    public static void Write(Action<Utf8JsonWriter> body)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        stdout.Write("\n"u8);
        stdout.Flush();
    }

    /// <summary>The numbers <c>score</c> and <c>fit</c> both report, under scikit-learn's names.</summary>
    public static void Likelihood(Utf8JsonWriter json, double total, double mean, double bic, double aic)
    {
        Number(json, "log_likelihood", total);
        Number(json, "mean_log_likelihood", mean);
        Number(json, "bic", bic);
        Number(json, "aic", aic);
    }

    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }

    /// <summary>JSON has no NaN or infinity: those are written as null.</summary>
    public static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value); else json.WriteNull(name);
    }
}
