using System.Text.Json.Nodes;
using System.Text;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>The model file: exact round trip, atomic write, and one clear message per kind of invalid file.</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gmm-model-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FittedModel Fitted(CovarianceType type)
    {
        var x = TestData.Blobs(200, TestData.Centres3, 0.9, seed: 77);
        return TestData.Fit(x, new FitSettings { Components = 3, CovarianceType = type, Seed = 3, MaxIter = 7, Tol = 1e-9 });
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Round_trip_keeps_every_number_bitwise(CovarianceType type)
    {
        var model = Fitted(type) with { Columns = ["alpha", "beta", "gamma"] };
        var path = Path.Combine(_directory, "sub", "model.json");
        ModelFile.Write(path, model);
        var back = ModelFile.Read(path);

        Assert.Equal(type, back.Mixture.CovarianceType);
        Assert.Equal(3, back.Mixture.Components);
        Assert.Equal(3, back.Mixture.Dimensions);
        Close.Bitwise(model.Mixture.Weights, back.Mixture.Weights, "weights");
        Close.Bitwise(model.Mixture.Means, back.Mixture.Means, "means");
        Close.Bitwise(model.Mixture.Covariances, back.Mixture.Covariances, "covariances");
        Close.Bitwise(model.LogLikelihoodHistory, back.LogLikelihoodHistory, "history");
        Close.Bitwise([model.LogLikelihood, model.MeanLogLikelihood, model.Bic, model.Aic], [back.LogLikelihood, back.MeanLogLikelihood, back.Bic, back.Aic]);
        Assert.Equal(model.Columns, back.Columns);
        Assert.Equal(model.Samples, back.Samples);
        Assert.Equal(model.Iterations, back.Iterations);
        Assert.Equal(model.Converged, back.Converged);
        Assert.Equal(model.Settings! with { InitModel = null }, back.Settings);
    }

    [Fact]
    public void The_file_uses_scikit_learn_names_and_shapes()
    {
        var json = JsonNode.Parse(ModelFile.ToJson(Fitted(CovarianceType.Diag)))!;
        Assert.Equal("distributed-gmm/1", (string)json["format"]!);
        Assert.Equal("diag", (string)json["covariance_type"]!);
        Assert.Equal(3, json["weights"]!.AsArray().Count);
        Assert.Equal(3, json["means"]![0]!.AsArray().Count);
        Assert.Equal(3, json["covariances"]![2]!.AsArray().Count);
        // p = 3·3 + 3·3 + 2 = 20: BIC − AIC = p·(ln n − 2).
        Assert.Equal(20 * (Math.Log(200) - 2), (double)json["bic"]! - (double)json["aic"]!, 8);
        Assert.Equal(200, (long)json["n_samples"]!);
    }

    [Fact]
    public void Atomic_write_leaves_only_the_target_behind()
    {
        var path = Path.Combine(_directory, "model.json");
        ModelFile.Write(path, Fitted(CovarianceType.Full));
        ModelFile.Write(path, Fitted(CovarianceType.Spherical)); // over an existing file
        Assert.Equal(["model.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Equal(CovarianceType.Spherical, ModelFile.Read(path).Mixture.CovarianceType);
    }

    [Fact]
    public void A_failed_write_leaves_nothing_behind()
    {
        var good = Fitted(CovarianceType.Diag);
        var covariances = good.Mixture.Covariances.ToArray();
        covariances[0] = double.NaN;
        var bad = good with { Mixture = new GaussianMixture(CovarianceType.Diag, 3, 3, good.Mixture.Weights, good.Mixture.Means, covariances) };
        var path = Path.Combine(_directory, "model.json");
        Assert.Throws<InvalidOperationException>(() => ModelFile.Write(path, bad));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_file_saved_with_a_byte_order_mark_is_read()
    {
        var path = Path.Combine(_directory, "edited.json");
        var model = Fitted(CovarianceType.Tied);
        File.WriteAllText(path, ModelFile.ToJson(model), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Close.Bitwise(model.Mixture.Covariances, ModelFile.Read(path).Mixture.Covariances);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(_directory, "nope.json");
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not found", e.Message);
    }

    /// <summary>A valid full model as JSON with one change applied.</summary>
    private static string Mutated(Action<JsonObject> change, CovarianceType type = CovarianceType.Full)
    {
        var json = JsonNode.Parse(ModelFile.ToJson(Fitted(type)))!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    private static void AssertRejected(string text, params string[] mentions)
    {
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Parse(Encoding.UTF8.GetBytes(text), "bad.json"));
        Assert.StartsWith("bad.json: ", e.Message);
        foreach (var m in mentions) Assert.Contains(m, e.Message);
    }

    [Fact]
    public void Not_json() => AssertRejected("{ \"format\": ", "not a JSON");

    [Fact]
    public void Not_an_object() => AssertRejected("[1, 2]", "object");

    [Fact]
    public void Wrong_format_string() => AssertRejected(Mutated(j => j["format"] = "distributed-gmm/9"), "format", "distributed-gmm/9");

    [Fact]
    public void Missing_format() => AssertRejected(Mutated(j => j.Remove("format")), "\"format\"");

    [Theory]
    [InlineData("covariance_type")]
    [InlineData("weights")]
    [InlineData("means")]
    [InlineData("covariances")]
    public void Missing_field(string field) => AssertRejected(Mutated(j => j.Remove(field)), $"\"{field}\"");

    [Fact]
    public void Unknown_covariance_type() => AssertRejected(Mutated(j => j["covariance_type"] = "banana"), "covariance_type", "banana");

    [Fact]
    public void Means_with_a_row_missing() => AssertRejected(Mutated(j => j["means"]!.AsArray().RemoveAt(2)), "means", "rows");

    [Fact]
    public void Means_with_a_short_row() => AssertRejected(Mutated(j => j["means"]![1]!.AsArray().RemoveAt(0)), "means[1]");

    [Fact]
    public void Full_covariance_of_the_wrong_shape() =>
        AssertRejected(Mutated(j => j["covariances"]![1]![2]!.AsArray().RemoveAt(0)), "covariances[1][2]");

    [Fact]
    public void Full_covariances_for_too_few_components() =>
        AssertRejected(Mutated(j => j["covariances"]!.AsArray().RemoveAt(0)), "covariances", "[3][3][3]");

    [Fact]
    public void Spherical_covariances_of_the_wrong_length() =>
        AssertRejected(Mutated(j => j["covariances"]!.AsArray().Add(1.0), CovarianceType.Spherical), "covariances", "4 values");

    [Fact]
    public void Tied_covariance_of_the_wrong_shape() =>
        AssertRejected(Mutated(j => j["covariances"]!.AsArray().RemoveAt(0), CovarianceType.Tied), "covariances", "rows");

    [Fact]
    public void Columns_that_do_not_match_the_means() =>
        AssertRejected(Mutated(j => j["columns"]!.AsArray().RemoveAt(0)), "columns");

    [Fact]
    public void Weights_not_summing_to_one() =>
        AssertRejected(Mutated(j => j["weights"] = new JsonArray(0.5, 0.3, 0.3)), "weights sum");

    [Fact]
    public void Negative_weight() =>
        AssertRejected(Mutated(j => j["weights"] = new JsonArray(0.6, -0.1, 0.5)), "weights[1]", "-0.1");

    [Fact]
    public void Non_symmetric_covariance() =>
        AssertRejected(Mutated(j => j["covariances"]![2]![0]![1] = (double)j["covariances"]![2]![0]![1]! + 0.5), "covariances[2]", "symmetric");

    [Fact]
    public void Covariance_not_positive_definite() =>
        AssertRejected(Mutated(j => j["covariances"]![1] = new JsonArray(new JsonArray(1.0, 2.0, 0.0), new JsonArray(2.0, 1.0, 0.0), new JsonArray(0.0, 0.0, 1.0))),
            "covariances[1]", "positive definite");

    [Fact]
    public void Tied_covariance_not_positive_definite() =>
        AssertRejected(Mutated(j => j["covariances"] = new JsonArray(new JsonArray(1.0, 0.0, 0.0), new JsonArray(0.0, -1.0, 0.0), new JsonArray(0.0, 0.0, 1.0)), CovarianceType.Tied),
            "covariances", "positive definite");

    [Fact]
    public void Negative_diagonal_variance() =>
        AssertRejected(Mutated(j => j["covariances"]![2]![1] = -0.5, CovarianceType.Diag), "covariances[2][1]", "-0.5");

    [Fact]
    public void Zero_spherical_variance() =>
        AssertRejected(Mutated(j => j["covariances"]![0] = 0.0, CovarianceType.Spherical), "covariances[0]");

    [Fact]
    public void NaN_as_a_string_in_the_means() => AssertRejected(Mutated(j => j["means"]![0]![1] = "NaN"), "means[0][1]", "NaN");

    [Fact]
    public void A_string_in_the_weights() => AssertRejected(Mutated(j => j["weights"]![2] = "0.3"), "weights[2]");

    [Fact]
    public void Null_in_a_covariance() => AssertRejected(Mutated(j => j["covariances"]![0]![0]![0] = null), "covariances[0][0][0]", "null");

    [Fact]
    public void An_overflowing_number() =>
        AssertRejected(Mutated(j => j["means"]![0]![0] = 1.0).Replace("\"means\":[[1,", "\"means\":[[1e999,"), "means[0][0]");

    [Theory]
    [InlineData("max_iter", 1.5)]
    [InlineData("n_init", 0.5)]
    [InlineData("seed", 3e9)]
    [InlineData("init_sample_rows", -1e12)]
    public void A_setting_that_is_not_an_integer_is_named(string field, double value) =>
        AssertRejected(Mutated(j => j["settings"]![field] = value), $"settings.{field}");

    [Fact]
    public void A_model_whose_columns_do_not_match_is_not_written()
    {
        var model = Fitted(CovarianceType.Full) with { Columns = ["a", "b"] };
        var path = Path.Combine(_directory, "model.json");
        Assert.Throws<InvalidOperationException>(() => ModelFile.Write(path, model));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_bare_NaN_token_is_not_json() => AssertRejected(Mutated(j => j["means"]![0]![0] = 1.0).Replace("\"means\":[[1,", "\"means\":[[NaN,"), "not a JSON");

    [Theory]
    [InlineData("n_components", 4, "n_components is 4", "weights has 3")]
    [InlineData("n_features", 2, "n_features is 2", "3 columns")]
    [InlineData("n_samples", -1, "n_samples is -1")]
    [InlineData("n_samples", 2, "n_samples is 2", "at least 3 rows")]
    [InlineData("n_iter", 6, "n_iter is 6", "7 values")]
    public void Counts_that_contradict_the_arrays_are_refused(string field, int value, params string[] mentions) =>
        AssertRejected(Mutated(j => j[field] = value), mentions);

    [Fact]
    public void The_counts_the_writer_wrote_agree_with_the_arrays() =>
        Assert.Equal(3, ModelFile.Parse(Encoding.UTF8.GetBytes(Mutated(_ => { })), "good.json").Mixture.Components);

    [Fact]
    public void A_fractional_count_is_refused() => AssertRejected(Mutated(j => j["n_samples"] = 200.5), "n_samples", "integer");

    [Fact]
    public void A_duplicate_key_is_refused_naming_it()
    {
        var text = Mutated(_ => { });
        AssertRejected(text.Replace("\"n_samples\":", "\"weights\":[1],\"n_samples\":"), "\"weights\"", "more than once");
        AssertRejected(text.Replace("\"tol\":", "\"seed\":1,\"tol\":"), "\"settings.seed\"", "more than once");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"NaN\"")]
    [InlineData("\"-Infinity\"")]
    public void A_non_finite_history_value_is_refused(string value) =>
        AssertRejected(Mutated(j => j["log_likelihood_history"]![2] = JsonNode.Parse(value)), "log_likelihood_history[2]", "finite");

    [Fact]
    public void A_non_number_log_likelihood_is_refused() =>
        AssertRejected(Mutated(j => j["log_likelihood"] = "NaN"), "log_likelihood", "finite number");

    [Fact]
    public void A_non_finite_history_is_never_written()
    {
        var model = Fitted(CovarianceType.Diag);
        var bad = model with { LogLikelihoodHistory = [.. model.LogLikelihoodHistory.Take(2), double.NaN] };
        Assert.Throws<InvalidOperationException>(() => ModelFile.Write(Path.Combine(_directory, "m.json"), bad));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void An_endless_device_is_refused_without_reading_it()
    {
        // A private /dev/zero: a character device that never ends.
        var zero = Path.Combine(_directory, "zero");
        SpecialFiles.MakeCharacterDevice(zero, 1, 5);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Read(zero));
        Assert.Contains("character device", e.Message);
        Assert.StartsWith(zero, e.Message);
    }

    [Fact]
    public async Task A_fifo_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(_directory, "model.json");
        SpecialFiles.MakeFifo(fifo);
        var read = Task.Run(() => ModelFile.Read(fifo));
        if (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))) != read)
        {
            await using (File.OpenWrite(fifo)) { } // releases the blocked reader
            Assert.Fail("reading a FIFO as a model waited for a writer");
        }
        Assert.Contains("FIFO", (await Assert.ThrowsAsync<ModelFileException>(() => read)).Message);
    }

    [Fact]
    public void A_file_larger_than_any_model_is_refused()
    {
        var path = Path.Combine(_directory, "huge.json");
        using (var f = File.Create(path)) f.SetLength(ModelFile.MaxBytes + 1);
        Assert.Contains("larger than", Assert.Throws<ModelFileException>(() => ModelFile.Read(path)).Message);
    }
}
