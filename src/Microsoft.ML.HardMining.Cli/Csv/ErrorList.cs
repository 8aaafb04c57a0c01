namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>The first few problems of a file, as one clause of a one-line error.</summary>
internal static class ErrorList
{
    /// <summary>How many problems a message shows.</summary>
    public const int Shown = 5;

    /// <summary>The shown problems joined by semicolons, and how many more there are.</summary>
    /// <param name="shown">At most <see cref="Shown"/> problems, in file order.</param>
    /// <param name="total">How many there are in all.</param>
    public static string Join(IReadOnlyList<string> shown, int total) =>
        string.Join("; ", shown) + (total > shown.Count ? $"; and {total - shown.Count} more" : "");
}
