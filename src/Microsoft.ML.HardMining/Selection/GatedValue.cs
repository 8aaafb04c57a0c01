namespace Microsoft.ML.HardMining;

/// <summary>
/// The Single column the fast scan (<c>HardExampleMiner.Scan.SpeedOpt.cs</c>) reads per row, beside a Boolean label: what
/// makes a value valid, the row's hardness (exactly as <see cref="LossReader.RowReader.Read"/> gives it), and the loop's
/// bars. The loop compares the signed value (the value, negated for a positive when <see cref="SignedByLabel"/>) with a
/// Single bar per class; a bar may let a few more rows through to the exact test, never fewer.
/// </summary>
internal interface IGatedValue
{
    /// <summary>Whether a positive's value is negated before its bar is tested: a higher value is harder for a negative and
    /// easier for a positive.</summary>
    static abstract bool SignedByLabel { get; }

    /// <summary>Whether a value with these bits may be invalid: the loop sends such a row to the exact test whatever its bar.</summary>
    static abstract bool MayBeInvalid(int bits);

    /// <summary>Whether the plain scan reads the value as valid.</summary>
    static abstract bool IsValid(float value);

    /// <summary>The row's hardness, as the plain scan computes it.</summary>
    static abstract double Hardness(bool positive, float value);

    /// <summary>A bar on the signed value that every row of that class whose hardness is above <paramref name="gate"/> passes.</summary>
    static abstract float SignedBar(double gate, bool positive);
}

/// <summary>A raw score under log-loss or hinge: hardness is the score signed by the label, a Single, so a bar converts exactly.</summary>
internal readonly struct RawScore : IGatedValue
{
    public static bool SignedByLabel => true;

    // ±∞ and NaN: every exponent bit set.
    public static bool MayBeInvalid(int bits) => (bits & 0x7F800000) == 0x7F800000;

    public static bool IsValid(float value) => float.IsFinite(value);

    public static double Hardness(bool positive, float value) => positive ? -value : value;

    // Bars are hardness values of rows, which are Singles.
    public static float SignedBar(double gate, bool positive) => (float)gate;
}

/// <summary>
/// The probability of the positive class under log-loss or squared error: hardness is the wrong class's probability, the
/// value for a negative and 1 − value (in double) for a positive.
/// </summary>
internal readonly struct PositiveProbability : IGatedValue
{
    public static bool SignedByLabel => true;

    // Every value outside [0, 1], NaN included, reads above 1.0's bits as an unsigned number (so does −0, which the exact
    // test then accepts).
    public static bool MayBeInvalid(int bits) => (uint)bits > 0x3F800000u;

    public static bool IsValid(float value) => value >= 0 && value <= 1;

    public static double Hardness(bool positive, float value) => positive ? 1 - (double)value : value;

    private const double Margin = 1.0 / (1L << 50);

    public static float SignedBar(double gate, bool positive)
    {
        // A negative passes with value > gate. A positive's 1 − value is rounded (by at most 2^-53), so it passes with
        // −value > gate − 1 − 2^-53; the margin of 2^-50 also covers the rounding of the subtraction itself.
        var bar = positive ? gate - 1 - Margin : gate;
        var single = (float)bar;
        return single > bar ? MathF.BitDecrement(single) : single;
    }
}

/// <summary>A precomputed loss (<see cref="MiningLossKind.Column"/>): hardness is the loss itself, a Single, for either class.</summary>
internal readonly struct PrecomputedLoss : IGatedValue
{
    public static bool SignedByLabel => false;

    public static bool MayBeInvalid(int bits) => RawScore.MayBeInvalid(bits);

    public static bool IsValid(float value) => float.IsFinite(value);

    public static double Hardness(bool positive, float value) => value;

    public static float SignedBar(double gate, bool positive) => (float)gate;
}
