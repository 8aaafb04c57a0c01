using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Data;
using Microsoft.ML.HardMining.Tests.Selection;

namespace Microsoft.ML.HardMining.Tests.Data;

[TestClass]
public sealed class RowSubsetDataViewTests
{
    private readonly MLContext _ml = new(seed: 1);

    [TestMethod]
    public void ExposesExactlyTheChosenRowsWithEveryColumnUntouched()
    {
        var rows = MinerTestRows.Make(100, 1);
        var source = _ml.Data.LoadFromEnumerable(rows);
        long[] positions = [0, 3, 4, 50, 99];
        var view = new RowSubsetDataView(source, positions);
        var back = _ml.Data.CreateEnumerable<ScoredRow>(view, reuseRowObject: false).ToList();
        Assert.HasCount(positions.Length, back);
        for (var i = 0; i < positions.Length; i++)
        {
            var expected = rows[(int)positions[i]];
            Assert.AreEqual(expected.Score, back[i].Score);
            Assert.AreEqual(expected.Label, back[i].Label);
            CollectionAssert.AreEqual(expected.Features, back[i].Features);
        }
        Assert.AreEqual(5L, view.GetRowCount());
        Assert.IsFalse(view.CanShuffle);
    }

    [TestMethod]
    public void RowIdsAreTheSourceIdsAndUnique()
    {
        var source = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(50, 2));
        var view = new RowSubsetDataView(source, [1, 2, 10, 49]);
        var ids = new List<DataViewRowId>();
        using var cursor = view.GetRowCursor([]);
        var getter = cursor.GetIdGetter();
        while (cursor.MoveNext()) { DataViewRowId id = default; getter(ref id); ids.Add(id); }
        Assert.HasCount(4, ids);
        Assert.HasCount(4, ids.Distinct());
        Assert.AreEqual(new DataViewRowId(10, 0), ids[2], "an in-memory view's row id is its position");
    }

    [TestMethod]
    public void WeightColumnIsAddedAndHidesASourceColumnOfTheSameName()
    {
        var source = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(20, 3));
        var view = new RowSubsetDataView(source, [2, 5], weights: [0.5f, 4f], weightColumnName: "Score");
        var scores = view.GetColumn<float>("Score").ToArray();
        CollectionAssert.AreEqual(new[] { 0.5f, 4f }, scores);
        Assert.AreEqual(source.Schema.Count + 1, view.Schema.Count);
    }

    [TestMethod]
    public void CursorSetsAndPartialColumnsWork()
    {
        var rows = MinerTestRows.Make(200, 4);
        var source = _ml.Data.LoadFromEnumerable(rows);
        var view = new RowSubsetDataView(source, Enumerable.Range(0, 200).Where(i => i % 3 == 0).Select(i => (long)i).ToArray());
        var cursors = view.GetRowCursorSet([view.Schema["Score"]], n: 4);
        Assert.IsNotEmpty(cursors);
        var count = 0;
        foreach (var cursor in cursors)
        {
            Assert.IsTrue(cursor.IsColumnActive(view.Schema["Score"]));
            Assert.IsFalse(cursor.IsColumnActive(view.Schema["Features"]));
            var getter = cursor.GetGetter<float>(view.Schema["Score"]);
            while (cursor.MoveNext()) { float s = 0; getter(ref s); Assert.AreEqual(rows[count * 3].Score, s); count++; }
            cursor.Dispose();
        }
        Assert.AreEqual(67, count);
    }

    [TestMethod]
    public void ASourceThatEnumeratesDifferentlyIsDetected()
    {
        var source = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(30, 5));
        var wrongIds = new[] { new DataViewRowId(1, 0), new DataViewRowId(99, 0) };
        var view = new RowSubsetDataView(source, [1, 2], expectedRowIds: wrongIds);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => view.GetColumn<float>("Score").ToArray());
        StringAssert.Contains(error.Message, "another order");

        var tooShort = new RowSubsetDataView(source, [5, 300]);
        var ended = Assert.ThrowsExactly<InvalidOperationException>(() => tooShort.GetColumn<float>("Score").ToArray());
        StringAssert.Contains(ended.Message, "ended after 30 rows");
    }

    [TestMethod]
    public void PositionsMustBeAscending()
    {
        var source = _ml.Data.LoadFromEnumerable(MinerTestRows.Make(10, 6));
        Assert.ThrowsExactly<ArgumentException>(() => new RowSubsetDataView(source, [3, 3]));
        Assert.ThrowsExactly<ArgumentException>(() => new RowSubsetDataView(source, [-1]));
        Assert.ThrowsExactly<ArgumentException>(() => new RowSubsetDataView(source, [1, 2], weights: [1f]));
    }
}
