namespace Microsoft.ML.HardMining;

internal static class DefaultColumnNames
{
    public const string Label = "Label";
    public const string Score = "Score";
    public const string Weight = "Weight";
}
