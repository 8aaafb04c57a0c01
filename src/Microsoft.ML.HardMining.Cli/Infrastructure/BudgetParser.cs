using System.Globalization;

namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>Reads a budget option: <c>all</c>, <c>none</c>, a percentage (<c>20%</c>), a fraction with a point (<c>0.2</c>) or a row count (<c>500</c>).</summary>
public static class BudgetParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The option value.</param>
    /// <param name="option">The option name, for the message.</param>
    public static MiningBudget Parse(string text, string option)
    {
        var s = text.Trim();
        if (s.Equals("all", StringComparison.OrdinalIgnoreCase)) return MiningBudget.All;
        if (s.Equals("none", StringComparison.OrdinalIgnoreCase)) return MiningBudget.None;
        if (s.EndsWith('%') && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100)
            return MiningBudget.Fraction(percent / 100);
        if (!s.Contains('.') && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return MiningBudget.Count(count);
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is >= 0 and <= 1)
            return MiningBudget.Fraction(fraction);
        throw new CliException($"{option} '{text}' is not a budget: use all, none, a percentage (20%), a fraction with a decimal point (0.2) or a row count (500).");
    }
}
