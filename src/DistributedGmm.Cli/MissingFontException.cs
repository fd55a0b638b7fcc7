namespace DistributedGmm.Cli;

/// <summary>The machine has no font to draw a plot's text with: a setup problem, not a bug, so it names the fix.</summary>
public sealed class MissingFontException() : Exception(
    "no fonts found to draw the plot's text; install one (e.g. Debian/Ubuntu: apt-get install fonts-dejavu-core)");
