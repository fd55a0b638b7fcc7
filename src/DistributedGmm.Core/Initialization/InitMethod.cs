namespace DistributedGmm.Core.Initialization;

/// <summary>How the starting parameters are chosen, as scikit-learn's <c>init_params</c>.</summary>
public enum InitMethod
{
    /// <summary>k-means++ seeding, then Lloyd iterations; responsibilities are the k-means labels.</summary>
    KMeans,
    /// <summary>k-means++ seeding only; the chosen rows become the means.</summary>
    KMeansPlusPlus,
    /// <summary>Random responsibilities for every sampled row.</summary>
    Random,
    /// <summary>K distinct sampled rows become the means.</summary>
    RandomFromData,
}

public static class InitMethodNames
{
    public static string ToName(this InitMethod method) => method switch
    {
        InitMethod.KMeans => "kmeans",
        InitMethod.KMeansPlusPlus => "k-means++",
        InitMethod.Random => "random",
        InitMethod.RandomFromData => "random-from-data",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static bool TryParse(string? name, out InitMethod method)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "kmeans": method = InitMethod.KMeans; return true;
            case "k-means++": case "kmeans++": method = InitMethod.KMeansPlusPlus; return true;
            case "random": method = InitMethod.Random; return true;
            case "random-from-data": case "random_from_data": method = InitMethod.RandomFromData; return true;
            default: method = default; return false;
        }
    }

    public static InitMethod Parse(string name) =>
        TryParse(name, out var m)
            ? m
            : throw new ArgumentException($"unknown init '{name}': expected kmeans, k-means++, random or random-from-data");
}
