using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Scoring;
using static Microsoft.ML.HardMining.Tests.Scoring.OnnxScoringTestHelpers;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>Batch boundaries, empty views, cursor sets and pass-through columns of the batched scorer, on a real MNIST model.</summary>
[TestClass]
public sealed class OnnxBatchScorerBatchingTests
{
    private static MnistOnnxExport s_export = null!;
    private static float[] s_reference = null!;

    [ClassInitialize]
    public static void Init(TestContext _)
    {
        s_export = MnistOnnxExport.Create(perDigit: 21); // 210 rows
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var reference = ml.Transforms.ApplyOnnxModel(s_export.ModelPath).Fit(data).Transform(data);
        s_reference = VectorColumn(reference, "Score").Select(v => v[0]).ToArray();
    }

    [ClassCleanup]
    public static void Cleanup() => s_export?.Dispose();

    [TestMethod]
    [DataRow(1, 210)]
    [DataRow(7, 210)]   // 210 = 30 x 7: an exact multiple
    [DataRow(64, 210)]  // 3 full batches and 18 rows
    [DataRow(64, 63)]
    [DataRow(64, 65)]
    [DataRow(500, 210)] // one batch larger than the data
    [DataRow(3, 1)]
    public void EveryRowIsScoredOnceInOrderWhateverTheBatchSize(int batchSize, int rowCount)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows.Take(rowCount));
        using var scorer = Scorer(ml, data, batchSize);
        var scored = scorer.Transform(data);

        var ids = new List<int>();
        var scores = new List<float>();
        var features = new List<float[]>();
        using (var cursor = scored.GetRowCursor(scored.Schema))
        {
            var id = cursor.GetGetter<int>(scored.Schema["Id"]);
            var score = cursor.GetGetter<float>(scored.Schema["Score"]);
            var feature = cursor.GetGetter<VBuffer<float>>(scored.Schema["Features"]);
            int value = 0;
            float s = 0;
            VBuffer<float> f = default;
            long expectedPosition = 0;
            while (cursor.MoveNext())
            {
                Assert.AreEqual(expectedPosition++, cursor.Position);
                id(ref value);
                score(ref s);
                feature(ref f);
                ids.Add(value);
                scores.Add(s);
                features.Add(f.DenseValues().ToArray());
            }
            Assert.IsFalse(cursor.MoveNext(), "stays finished");
            Assert.AreEqual(-1, cursor.Position, "no row after the end");
        }

        CollectionAssert.AreEqual(Enumerable.Range(0, rowCount).ToList(), ids);
        AssertClose(s_reference.Take(rowCount).ToArray(), scores.ToArray(), 1e-5, "scores");
        for (int r = 0; r < rowCount; r++)
            CollectionAssert.AreEqual(s_export.Rows[r].Features, features[r], $"pass-through features of row {r}");
        Assert.AreEqual((long)rowCount, scored.GetRowCount());
    }

    [TestMethod]
    public void SparseFeatureVectorsAreDensifiedIntoTheBatch()
    {
        var ml = new MLContext(seed: 1);
        // MNIST digits are mostly background: store them sparse, as a text or key-value loader would.
        var sparse = s_export.Rows.Select(r =>
        {
            var indices = Enumerable.Range(0, r.Features.Length).Where(i => r.Features[i] != 0).ToArray();
            return new SparseDigitRow { Id = r.Id, Features = new VBuffer<float>(784, indices.Length, indices.Select(i => r.Features[i]).ToArray(), indices) };
        }).ToList();
        Assert.IsTrue(sparse.All(r => !r.Features.IsDense), "the rows really are sparse");
        var data = ml.Data.LoadFromEnumerable(sparse);
        using var scorer = Scorer(ml, data, 32);
        AssertClose(s_reference, ScalarColumn(scorer.Transform(data), "Score"), 1e-5, "scores from sparse rows");
    }

    [TestMethod]
    public void RowIdsArePassedThroughUnchanged()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows.Take(50));
        using var scorer = Scorer(ml, data, 16);
        var scored = scorer.Transform(data);
        var expected = ReadIds(data, data.Schema["Id"]);
        var actual = ReadIds(scored, scored.Schema["Score"]);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void EmptyViewGivesNoRowsAndNoError()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(new List<DigitRow>());
        using var scorer = Scorer(ml, empty, 32);
        var scored = scorer.Transform(empty);
        Assert.IsEmpty(scored.GetColumn<float>("Score").ToArray());
        using var cursor = scored.GetRowCursor(scored.Schema);
        Assert.IsFalse(cursor.MoveNext());
        Assert.AreEqual(-1, cursor.Position);
    }

    [TestMethod]
    public void EmptyViewWithAFixedBatchModelGivesNoRows()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(new List<BlazeInput>());
        using var scorer = ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
        {
            ModelPath = Infrastructure.TestAssets.BlazeFaceFront,
            InputColumnNames = ["Pixels"],
            ScoreOutputName = "Identity:0",
            OutputKind = OnnxOutputKind.RawScore,
        }).Fit(empty);
        Assert.AreEqual(1, scorer.BatchSize);
        Assert.IsEmpty(scorer.Transform(empty).GetColumn<VBuffer<float>>("Score").ToArray());
    }

    [TestMethod]
    public void ReadingOnlySourceColumnsDoesNotRunTheModel()
    {
        var ml = new MLContext(seed: 1);
        // NaN features would make the model fail loudly if it ran.
        var rows = s_export.Rows.Take(5).Select(r => new DigitRow { Id = r.Id, Features = Enumerable.Repeat(float.NaN, 784).ToArray() }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var scorer = Scorer(ml, data, 2);
        var scored = scorer.Transform(data);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, scored.GetColumn<int>("Id").ToArray());
    }

    [TestMethod]
    public void CursorSetScoresEveryRowOnceFromParallelThreads()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(s_export.Rows));
        using var scorer = Scorer(ml, data, 8);
        var scored = scorer.Transform(data);
        var columns = new[] { scored.Schema["Id"], scored.Schema["Score"], scored.Schema["Probability"] };
        var cursors = scored.GetRowCursorSet(columns, 4);
        Assert.IsGreaterThan(1, cursors.Length, "the cache splits its rows between several cursors");

        var seen = new System.Collections.Concurrent.ConcurrentBag<(int Id, float Score, float Probability)>();
        using var start = new Barrier(cursors.Length);
        var threads = cursors.Select(cursor => new Thread(() =>
        {
            using (cursor)
            {
                var id = cursor.GetGetter<int>(columns[0]);
                var score = cursor.GetGetter<float>(columns[1]);
                var probability = cursor.GetGetter<float>(columns[2]);
                int i = 0;
                float s = 0, p = 0;
                start.SignalAndWait();
                while (cursor.MoveNext())
                {
                    id(ref i);
                    score(ref s);
                    probability(ref p);
                    seen.Add((i, s, p));
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var byId = seen.OrderBy(t => t.Id).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, s_export.Rows.Count).ToArray(), byId.Select(t => t.Id).ToArray(), "every row exactly once");
        AssertClose(s_reference, byId.Select(t => t.Score).ToArray(), 1e-5, "scores from parallel cursors");
        AssertClose(byId.Select(t => (float)(1 / (1 + Math.Exp(-t.Score)))).ToArray(), byId.Select(t => t.Probability).ToArray(), 1e-4, "calibrated probability is monotone in the score");

        // Consolidating the cursor set back into one ordered cursor must work too (ML.NET's own paths use Batch for this).
        Assert.HasCount(s_export.Rows.Count, scored.GetColumn<float>("Score").ToArray());
    }

    [TestMethod]
    public void ShuffledCursorsScoreTheRowTheyExpose()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(s_export.Rows));
        using var scorer = Scorer(ml, data, 16);
        var shuffled = ml.Data.ShuffleRows(scorer.Transform(data), seed: 3);
        var ids = shuffled.GetColumn<int>("Id").ToArray();
        var scores = shuffled.GetColumn<float>("Score").ToArray();
        CollectionAssert.AreNotEqual(Enumerable.Range(0, ids.Length).ToArray(), ids, "the rows were shuffled");
        AssertClose(ids.Select(i => s_reference[i]).ToArray(), scores, 1e-5, "score follows its row");
    }

    [TestMethod]
    public void EstimatorInsideAPipelineReportsTheOutputShape()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_export.Rows);
        var estimator = ml.Transforms.CopyColumns("Pixels", "Features")
            .Append(ml.Transforms.ScoreOnnxBatched(new OnnxScoringOptions
            {
                ModelPath = s_export.ModelPath,
                InputColumnNames = ["Pixels"],
                ModelInputNames = ["Features"],
                RawOutputColumnName = "RawScore",
            }));
        var model = estimator.Fit(data);
        var scored = model.Transform(data);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1), scored.Schema["RawScore"].Type);
        AssertClose(s_reference, ScalarColumn(scored, "Score"), 1e-5, "scores through the chain");

        // The scores rank the rows as the ML.NET model does: brute-force AUC of ours equals ML.NET's evaluator on its own scores.
        var own = ml.BinaryClassification.Evaluate(s_export.Model.Transform(data));
        var labels = scored.GetColumn<bool>("Label").ToArray();
        var scores = ScalarColumn(scored, "Score");
        double wins = 0, pairs = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            for (int j = 0; j < labels.Length; j++)
            {
                if (!labels[i] || labels[j])
                    continue;
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }
        Assert.AreEqual(own.AreaUnderRocCurve, wins / pairs, 1e-6);
        foreach (var transformer in model)
            (transformer as IDisposable)?.Dispose();
    }

    private static OnnxBatchScorer Scorer(MLContext ml, IDataView data, int batchSize)
        => ml.Transforms.ScoreOnnxBatched(s_export.ModelPath, "Features", batchSize: batchSize).Fit(data);

    private static List<DataViewRowId> ReadIds(IDataView view, DataViewSchema.Column column)
    {
        var ids = new List<DataViewRowId>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetIdGetter();
        DataViewRowId id = default;
        while (cursor.MoveNext())
        {
            getter(ref id);
            ids.Add(id);
        }
        return ids;
    }

    public sealed class SparseDigitRow
    {
        public int Id { get; set; }

        [VectorType(784)]
        public VBuffer<float> Features { get; set; }
    }

    public sealed class BlazeInput
    {
        [VectorType(128 * 128 * 3)]
        public float[] Pixels { get; set; } = [];
    }
}
