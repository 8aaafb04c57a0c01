using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// A generated view of any length with a Boolean label and a dense feature vector for a model to score: row i's label is
/// <see cref="SyntheticScoredView.LabelOf"/> (about 10% positives) and feature j is a hash of (i, j), uniform in [−1, 1],
/// shifted by ±<see cref="Shift"/> toward the label on the first half of the features, so that a linear model separates the
/// classes well but not perfectly.
/// </summary>
public sealed class SyntheticFeatureView(long rows)
    : GeneratedDataView(rows, "Features", new VectorDataViewType(NumberDataViewType.Single, FeatureCount))
{
    public const int FeatureCount = 16;
    private const float Shift = 0.25f;

    private protected override DataViewRowCursor CreateCursor() => new Cursor(this);

    private static void FeaturesOf(long i, ref VBuffer<float> features)
    {
        var editor = VBufferEditor.Create(ref features, FeatureCount);
        var sign = SyntheticScoredView.LabelOf(i) ? Shift : -Shift;
        for (var j = 0; j < FeatureCount; j++)
        {
            var u = (SyntheticScoredView.Hash(i * FeatureCount + j) >> 11) * (1.0 / (1UL << 53));
            editor.Values[j] = (float)(2 * u - 1) + (j < FeatureCount / 2 ? sign : 0);
        }
        features = editor.Commit();
    }

    private sealed class Cursor(SyntheticFeatureView parent) : GeneratedRowCursor(parent.Schema, parent.Rows)
    {
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0) { ValueGetter<bool> g = (ref bool v) => v = SyntheticScoredView.LabelOf(RowPosition); return (ValueGetter<TValue>)(Delegate)g; }
            ValueGetter<VBuffer<float>> f = (ref VBuffer<float> v) => FeaturesOf(RowPosition, ref v);
            return (ValueGetter<TValue>)(Delegate)f;
        }
    }
}
