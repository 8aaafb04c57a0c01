using System.Globalization;

namespace Microsoft.ML.HardMining;

/// <summary>How many rows of one class the miner may keep: all, none, a count, or a fraction of the class.</summary>
public readonly record struct MiningBudget
{
    private MiningBudget(long count, double fraction)
    {
        RowCount = count;
        FractionOfRows = fraction;
    }

    /// <summary>The count, or -1 when the budget is a fraction.</summary>
    public long RowCount { get; }

    /// <summary>The fraction of the class's rows, or NaN when the budget is a count.</summary>
    public double FractionOfRows { get; }

    /// <summary>Whether the budget is a fraction of the class's rows.</summary>
    public bool IsFraction => RowCount < 0;

    /// <summary>Every row of the class.</summary>
    public static MiningBudget All => new(-1, 1.0);

    /// <summary>No row of the class.</summary>
    public static MiningBudget None => new(0, double.NaN);

    /// <summary>At most <paramref name="rows"/> rows.</summary>
    /// <param name="rows">A non-negative row count.</param>
    public static MiningBudget Count(long rows)
    {
        if (rows < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "A budget count must be 0 or more, e.g. 1000 for the 1,000 hardest rows of the class; use MiningBudget.None for no row.");
        return new(rows, double.NaN);
    }

    /// <summary>A fraction of the class's rows, rounded to the nearest row.</summary>
    /// <param name="fraction">In [0, 1].</param>
    public static MiningBudget Fraction(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A budget fraction must be in [0, 1], e.g. 0.2 for the hardest 20% of the class.");
        return new(-1, fraction);
    }

    /// <summary>Whether the budget allows no row whatever the class's size (<see cref="None"/>, a count of 0 or a fraction of 0).</summary>
    public bool AllowsNoRow => IsFraction ? FractionOfRows == 0 : RowCount == 0;

    /// <summary>The number of rows this budget allows out of <paramref name="classRows"/>.</summary>
    /// <param name="classRows">The rows of the class.</param>
    public long Resolve(long classRows) => IsFraction
        ? Math.Min(classRows, (long)Math.Round(FractionOfRows * classRows, MidpointRounding.AwayFromZero))
        : Math.Min(classRows, RowCount);

    /// <inheritdoc/>
    public override string ToString() => IsFraction
        ? FractionOfRows == 1 ? "all" : FractionOfRows.ToString("P1", CultureInfo.InvariantCulture)
        : RowCount.ToString(CultureInfo.InvariantCulture) + " rows";
}
