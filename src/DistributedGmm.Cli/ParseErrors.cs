using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DistributedGmm.Cli;

/// <summary>The one line a command-line mistake is reported with, in a user's words rather than .NET's.</summary>
internal static partial class ParseErrors
{
    /// <summary>The message to report, or null when the command line parsed.</summary>
    public static string? FirstMessage(ParseResult parse)
    {
        // System.CommandLine gives a token it does not know as an option to a command's DATA argument when that
        // argument takes any number of values, so `predict --json` read as a file named --json. No data path of
        // ours starts with '-' (write ./-name for one that does), so such a token is an unknown option.
        if (UnknownOption(parse) is { } token) return $"Unrecognized option '{token}'";
        if (parse.Errors.Count == 0) return null;
        // "Required command was not provided" says less than the unrecognised word that caused it.
        var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
        return PlainTypeNames(error.Message);
    }

    private static string? UnknownOption(ParseResult parse)
    {
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens)
            {
                var value = token.Value;
                if (value.Length > 1 && value[0] == '-' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    return value;
            }
        }
        return null;
    }

    /// <summary>"as expected type 'System.Nullable`1[System.Int32]'" becomes "as a whole number".</summary>
    public static string PlainTypeNames(string message) => ExpectedType().Replace(message, m => "as " + Describe(m.Groups[1].Value));

    private static string Describe(string type)
    {
        var inner = NullableOf().Match(type) is { Success: true } n ? n.Groups[1].Value : type;
        return inner switch
        {
            "System.Int16" or "System.Int32" or "System.Int64" => "a whole number" + Range(inner),
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            _ => "a " + inner[(inner.LastIndexOf('.') + 1)..].ToLowerInvariant(),
        };
    }

    private static string Range(string type) => type switch
    {
        "System.Int16" => FormattableString.Invariant($" from {short.MinValue} to {short.MaxValue}"),
        "System.Int32" => FormattableString.Invariant($" from {int.MinValue} to {int.MaxValue}"),
        _ => "",
    };

    [GeneratedRegex(@"as expected type '([^']+)'")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(.+)\]$")]
    private static partial Regex NullableOf();
}
