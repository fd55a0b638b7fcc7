using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Data;

/// <summary>
/// Scores a block of rows: for row i, its log-likelihood, its K membership probabilities at
/// <c>probabilities[i·K .. i·K + K)</c> and its most probable component. Lets the Data layer write
/// predictions without depending on any scorer implementation.
/// </summary>
public delegate void BlockScorer(RowBlock block, Span<double> logLikelihood, Span<double> probabilities, Span<int> labels);
