namespace Microsoft.ML.HardMining.Detection;

/// <summary>The RoIs chosen by per-image OHEM.</summary>
public sealed class RoiMiningResult
{
    internal RoiMiningResult(IReadOnlyList<CandidateRow> rows, int[] selected, int ignored)
    {
        SelectedRows = selected;
        Positives = selected.Count(i => rows[i].Label);
        Negatives = selected.Length - Positives;
        IgnoredRows = ignored;
        ImagesWithSelection = selected.Select(i => rows[i].ImageId).Distinct(StringComparer.Ordinal).Count();
        Rows = rows;
    }

    /// <summary>Indices into the candidate rows of the chosen RoIs, ascending.</summary>
    public IReadOnlyList<int> SelectedRows { get; }

    /// <summary>Chosen positives.</summary>
    public int Positives { get; }

    /// <summary>Chosen negatives.</summary>
    public int Negatives { get; }

    /// <summary>Rows in the ignore band (never mined).</summary>
    public int IgnoredRows { get; }

    /// <summary>Images contributing at least one chosen RoI.</summary>
    public int ImagesWithSelection { get; }

    /// <summary>The candidate rows the indices refer to.</summary>
    public IReadOnlyList<CandidateRow> Rows { get; }

    /// <summary>The chosen rows.</summary>
    /// <returns>The rows, in candidate order.</returns>
    public IReadOnlyList<CandidateRow> SelectedRowObjects() => SelectedRows.Select(i => Rows[i]).ToArray();

    /// <summary>The chosen rows as an ML.NET view with the candidate-view columns (see <see cref="CandidateSet.ToDataView"/>).</summary>
    /// <param name="mlContext">The context.</param>
    /// <returns>The view.</returns>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromEnumerable(SelectedRowObjects());
    }

    /// <inheritdoc />
    public override string ToString() => $"{SelectedRows.Count} RoIs ({Positives} positive, {Negatives} negative) from {ImagesWithSelection} images; {IgnoredRows} ignored rows not mined.";
}
