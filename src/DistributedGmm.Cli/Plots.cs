using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using MathNet.Numerics.LinearAlgebra;
using ScottPlot;

namespace DistributedGmm.Cli;

/// <summary>
/// The classic EM notebook's figures as PNG files: data and components (means with 1σ and 2σ ellipses),
/// log-likelihood per iteration, and BIC against the number of components. Written atomically, or uploaded whole to s3://.
/// </summary>
internal static class Plots
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 700;
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>Points of the data (x, y) and each point's most probable component.</summary>
    public sealed record Points(double[] X, double[] Y, int[] Labels);

    public static void Mixture(string path, Points points, GaussianMixture mixture, int xColumn, int yColumn,
        string xName, string yName, string title, int width, int height, CancellationToken cancellationToken)
    {
        var plot = NewPlot(title, xName, yName);
        // Few points are drawn large and solid; many, small and translucent so that density shows.
        var few = points.Labels.Length <= 2000;
        for (var k = 0; k < mixture.Components; k++)
        {
            var color = Palette.GetColor(k);
            var xs = new List<double>();
            var ys = new List<double>();
            for (var i = 0; i < points.Labels.Length; i++)
            {
                if (points.Labels[i] != k) continue;
                xs.Add(points.X[i]);
                ys.Add(points.Y[i]);
            }
            var scatter = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), color.WithAlpha(few ? 0.85 : 0.35));
            scatter.MarkerSize = few ? 6 : 3;
            scatter.LegendText = FormattableString.Invariant($"component {k} (weight {mixture.Weights[k]:F3})");

            var covariance = mixture.CovarianceMatrix(k);
            var mean = mixture.Mean(k);
            var (cx, cy) = (mean[xColumn], mean[yColumn]);
            var marginal = (covariance[xColumn, xColumn], covariance[xColumn, yColumn], covariance[yColumn, yColumn]);
            foreach (var sigmas in new[] { 1.0, 2.0 })
            {
                var (ex, ey) = Ellipse(cx, cy, marginal, sigmas);
                var line = plot.Add.ScatterLine(ex, ey, color);
                line.LineWidth = sigmas == 1 ? 2.5f : 1.5f;
                line.LinePattern = sigmas == 1 ? LinePattern.Solid : LinePattern.Dashed;
            }
            var marker = plot.Add.Marker(cx, cy, MarkerShape.FilledDiamond, 12, Colors.Black);
            marker.LegendText = k == mixture.Components - 1 ? "means (1σ solid, 2σ dashed)" : "";
        }
        plot.ShowLegend(Alignment.UpperRight);
        Write(path, plot.GetImageBytes(width, height, ImageFormat.Png), cancellationToken);
    }

    /// <summary>
    /// The n-σ ellipse of a 2×2 covariance [[a, b], [b, c]]: its eigenvectors (MathNet's symmetric
    /// eigen-decomposition) give the axes and n·√eigenvalue their half-lengths. Drawn as a closed polygon in data coordinates.
    /// </summary>
    public static (double[] X, double[] Y) Ellipse(double cx, double cy, (double A, double B, double C) covariance, double sigmas, int segments = 120)
    {
        var (a, b, c) = covariance;
        var evd = Matrix<double>.Build.DenseOfArray(new[,] { { a, b }, { b, c } }).Evd(Symmetricity.Symmetric);
        // A symmetric matrix's eigenvalues come in ascending order; rounding can make a tiny one negative.
        var minor = Math.Max(evd.EigenValues[0].Real, 0);
        var major = Math.Max(evd.EigenValues[1].Real, 0);
        var (cos, sin) = (evd.EigenVectors[0, 1], evd.EigenVectors[1, 1]); // the major axis's unit direction
        var (r1, r2) = (sigmas * Math.Sqrt(major), sigmas * Math.Sqrt(minor));
        var xs = new double[segments + 1];
        var ys = new double[segments + 1];
        for (var i = 0; i <= segments; i++)
        {
            var t = 2 * Math.PI * i / segments;
            var (u, v) = (r1 * Math.Cos(t), r2 * Math.Sin(t));
            xs[i] = cx + u * cos - v * sin;
            ys[i] = cy + u * sin + v * cos;
        }
        return (xs, ys);
    }

    public static void History(string path, IReadOnlyList<double> history, string title, int width, int height, CancellationToken cancellationToken)
    {
        var plot = NewPlot(title, "iteration", "mean log-likelihood per sample");
        var xs = Enumerable.Range(1, history.Count).Select(i => (double)i).ToArray();
        var line = plot.Add.Scatter(xs, history.ToArray(), Palette.GetColor(0));
        line.LineWidth = 2;
        line.MarkerSize = 6;
        line.LegendText = "log-likelihood of the E-step's parameters";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.LowerRight);
        Write(path, plot.GetImageBytes(width, height, ImageFormat.Png), cancellationToken);
    }

    /// <summary>
    /// BIC against K, one line per covariance type, the best (lowest) model marked: the PNG's bytes, drawn before
    /// anything is written, so that a failure to draw leaves no other output of the command behind.
    /// </summary>
    public static byte[] Bic(IReadOnlyList<(CovarianceType Type, int Components, double Bic)> results, string title, int width, int height)
    {
        var plot = NewPlot(title, "components (K)", "BIC (lower is better)");
        var types = results.Select(r => r.Type).Distinct().ToList();
        for (var t = 0; t < types.Count; t++)
        {
            var rows = results.Where(r => r.Type == types[t] && double.IsFinite(r.Bic)).OrderBy(r => r.Components).ToArray();
            if (rows.Length == 0) continue;
            var line = plot.Add.Scatter(rows.Select(r => (double)r.Components).ToArray(), rows.Select(r => r.Bic).ToArray(), Palette.GetColor(t));
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = types[t].ToName();
        }
        var finite = results.Where(r => double.IsFinite(r.Bic)).ToList();
        if (finite.Count > 0)
        {
            var best = finite.MinBy(r => r.Bic);
            var marker = plot.Add.Marker(best.Components, best.Bic, MarkerShape.OpenCircle, 18, Colors.Black);
            marker.LegendText = $"best: K = {best.Components}, {best.Type.ToName()}";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont.Value is { } font) plot.Font.Set(font);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// Writes a drawn PNG. A cancellation stops it before the upload starts; an upload once sent completes
    /// (see <see cref="Data.ObjectStorage.ObjectStore.UploadAsync"/>).
    /// </summary>
    public static void Write(string path, byte[] png, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Data.ObjectStorage.ObjectUri.IsObjectUri(path))
            Data.ObjectStorage.ObjectTransfer.WriteAsync(path, local => File.WriteAllBytes(local, png), null, cancellationToken).GetAwaiter().GetResult();
        else AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>
    /// A sans-serif family that is installed, if any of the common ones is (else ScottPlot's own choice). ScottPlot draws
    /// text with system fonts; without any it would draw no labels at all, so then say what to install.
    /// </summary>
    private static readonly Lazy<string?> SansFont = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (installed.Count == 0)
            throw new MissingFontException();
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }.FirstOrDefault(installed.Contains);
    });

    public static void CheckSize(int width, int height)
    {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000)
            throw new UsageException($"--width and --height must be between 100 and 10000 pixels, got {width}×{height}");
    }
}
