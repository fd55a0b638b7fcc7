using MathNet.Numerics.LinearAlgebra;

namespace DistributedGmm.Core.Tests.Support;

/// <summary>
/// A second, plain implementation of scikit-learn's GaussianMixture EM (plain loops over double[,],
/// MathNet for inverses and determinants), sharing no code with Core. Covariance types by sklearn's names.
/// Parameters: weights [K], means [K,d], and one dense d×d covariance per component (tied: the same one).
/// </summary>
public sealed class ReferenceGmm
{
    public const double Eps = 2.220446049250313e-16;

    public ReferenceGmm(string type, double[] weights, double[,] means, double[][,] covariances)
    {
        Type = type;
        Weights = weights;
        Means = means;
        Covariances = covariances;
    }

    public string Type { get; }
    public double[] Weights { get; private set; }
    public double[,] Means { get; private set; }
    public double[][,] Covariances { get; private set; }
    public int K => Weights.Length;
    public int D => Means.GetLength(1);
    public List<double> LowerBounds { get; } = [];
    public int NIter { get; private set; }
    public bool Converged { get; private set; }

    /// <summary>From scikit-learn's shapes, flat row-major: full [K][d][d], tied [d][d], diag [K][d], spherical [K].</summary>
    public static ReferenceGmm FromFlat(string type, int k, int d, double[] weights, double[] means, double[] covariances)
    {
        var mu = new double[k, d];
        for (var c = 0; c < k; c++)
        for (var a = 0; a < d; a++) mu[c, a] = means[c * d + a];
        var sigma = new double[k][,];
        for (var c = 0; c < k; c++)
        {
            sigma[c] = new double[d, d];
            for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
                sigma[c][a, b] = type switch
                {
                    "full" => covariances[c * d * d + a * d + b],
                    "tied" => covariances[a * d + b],
                    "diag" => a == b ? covariances[c * d + a] : 0,
                    "spherical" => a == b ? covariances[c] : 0,
                    _ => throw new ArgumentException(type),
                };
        }
        return new ReferenceGmm(type, (double[])weights.Clone(), mu, sigma);
    }

    /// <summary>Back to scikit-learn's flat shapes.</summary>
    public double[] FlatCovariances()
    {
        int k = K, d = D;
        var result = new List<double>();
        switch (Type)
        {
            case "full":
                for (var c = 0; c < k; c++)
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++) result.Add(Covariances[c][a, b]);
                break;
            case "tied":
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++) result.Add(Covariances[0][a, b]);
                break;
            case "diag":
                for (var c = 0; c < k; c++)
                for (var a = 0; a < d; a++) result.Add(Covariances[c][a, a]);
                break;
            default:
                for (var c = 0; c < k; c++) result.Add(Covariances[c][0, 0]);
                break;
        }
        return result.ToArray();
    }

    public double[] FlatMeans()
    {
        var result = new double[K * D];
        for (var c = 0; c < K; c++)
        for (var a = 0; a < D; a++) result[c * D + a] = Means[c, a];
        return result;
    }

    /// <summary>log w_k + log N(x_i | μ_k, Σ_k), n × K.</summary>
    public double[,] WeightedLogProb(double[,] x)
    {
        int n = x.GetLength(0), d = D, k = K;
        var result = new double[n, k];
        for (var c = 0; c < k; c++)
        {
            var sigma = Matrix<double>.Build.DenseOfArray(Covariances[c]);
            var inverse = sigma.Inverse();
            var logDet = Math.Log(sigma.Determinant());
            for (var i = 0; i < n; i++)
            {
                double quad = 0;
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    quad += (x[i, a] - Means[c, a]) * inverse[a, b] * (x[i, b] - Means[c, b]);
                result[i, c] = -0.5 * (d * Math.Log(2 * Math.PI) + logDet + quad) + Math.Log(Weights[c]);
            }
        }
        return result;
    }

    /// <summary>scikit-learn's _e_step: per-row log p(x) and responsibilities, by log-sum-exp.</summary>
    public (double[] LogProb, double[,] Resp) EStep(double[,] x)
    {
        var weighted = WeightedLogProb(x);
        int n = x.GetLength(0), k = K;
        var logProb = new double[n];
        var resp = new double[n, k];
        for (var i = 0; i < n; i++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++) max = Math.Max(max, weighted[i, c]);
            double sum = 0;
            for (var c = 0; c < k; c++) sum += Math.Exp(weighted[i, c] - max);
            logProb[i] = max + Math.Log(sum);
            for (var c = 0; c < k; c++) resp[i, c] = Math.Exp(weighted[i, c] - logProb[i]);
        }
        return (logProb, resp);
    }

    /// <summary>scikit-learn's _m_step with _estimate_gaussian_parameters (naive second moments for tied/diag/spherical, as sklearn).</summary>
    public void MStep(double[,] x, double[,] resp, double regCovar)
    {
        int n = x.GetLength(0), d = D, k = K;
        var nk = new double[k];
        for (var c = 0; c < k; c++)
        {
            for (var i = 0; i < n; i++) nk[c] += resp[i, c];
            nk[c] += 10 * Eps;
        }
        var means = new double[k, d];
        for (var c = 0; c < k; c++)
        for (var a = 0; a < d; a++)
        {
            double s = 0;
            for (var i = 0; i < n; i++) s += resp[i, c] * x[i, a];
            means[c, a] = s / nk[c];
        }
        var cov = new double[k][,];
        switch (Type)
        {
            case "full":
                for (var c = 0; c < k; c++)
                {
                    cov[c] = new double[d, d];
                    for (var a = 0; a < d; a++)
                    for (var b = 0; b < d; b++)
                    {
                        double s = 0;
                        for (var i = 0; i < n; i++) s += resp[i, c] * (x[i, a] - means[c, a]) * (x[i, b] - means[c, b]);
                        cov[c][a, b] = s / nk[c] + (a == b ? regCovar : 0);
                    }
                }
                break;
            case "tied":
            {
                var t = new double[d, d];
                var total = nk.Sum();
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                {
                    double xx = 0;
                    for (var i = 0; i < n; i++) xx += x[i, a] * x[i, b];
                    double mm = 0;
                    for (var c = 0; c < k; c++) mm += nk[c] * means[c, a] * means[c, b];
                    t[a, b] = (xx - mm) / total + (a == b ? regCovar : 0);
                }
                for (var c = 0; c < k; c++) cov[c] = t;
                break;
            }
            default:
            {
                for (var c = 0; c < k; c++)
                {
                    var variances = new double[d];
                    for (var a = 0; a < d; a++)
                    {
                        double x2 = 0;
                        for (var i = 0; i < n; i++) x2 += resp[i, c] * x[i, a] * x[i, a];
                        variances[a] = x2 / nk[c] - means[c, a] * means[c, a] + regCovar;
                    }
                    cov[c] = new double[d, d];
                    for (var a = 0; a < d; a++)
                        cov[c][a, a] = Type == "diag" ? variances[a] : variances.Average();
                }
                break;
            }
        }
        var sum = nk.Sum();
        Weights = nk.Select(v => v / sum).ToArray();
        Means = means;
        Covariances = cov;
    }

    /// <summary>scikit-learn's fit loop from the current parameters: E, M, then the tol check on the lower bound.</summary>
    public void Fit(double[,] x, int maxIter, double tol, double regCovar)
    {
        var lowerBound = double.NegativeInfinity;
        for (var iteration = 1; iteration <= maxIter; iteration++)
        {
            var previous = lowerBound;
            var (logProb, resp) = EStep(x);
            MStep(x, resp, regCovar);
            lowerBound = logProb.Average();
            LowerBounds.Add(lowerBound);
            NIter = iteration;
            if (Math.Abs(lowerBound - previous) < tol)
            {
                Converged = true;
                break;
            }
        }
    }

    public double[] ScoreSamples(double[,] x) => EStep(x).LogProb;
}
