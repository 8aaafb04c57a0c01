using Microsoft.ML.HardMining.Detection;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Detection;

[TestClass]
public sealed class DecoderTests
{
    private static Dictionary<string, DetectionTensor> BlazeFaceOutputs(float fill = -20f)
    {
        DetectionTensor T(string name, params int[] shape) => new(name, shape, Enumerable.Repeat(0f, shape.Aggregate(1, (a, b) => a * b)).ToArray());
        var outputs = new Dictionary<string, DetectionTensor>
        {
            ["Identity:0"] = T("Identity:0", 1, 512, 1),
            ["Identity_1:0"] = T("Identity_1:0", 1, 384, 1),
            ["Identity_2:0"] = T("Identity_2:0", 1, 512, 16),
            ["Identity_3:0"] = T("Identity_3:0", 1, 384, 16),
        };
        Array.Fill(outputs["Identity:0"].Data, fill);
        Array.Fill(outputs["Identity_1:0"].Data, fill);
        return outputs;
    }

    [TestMethod]
    public void AnchorDecoderPlacesBoxesAtCellCentresPlusOffsets()
    {
        var o = BlazeFaceOutputs();
        // Layer 1 (16x16, 2 anchors): cell x=3, y=5, anchor 1 -> index (5*16+3)*2+1 = 167.
        o["Identity:0"].Data[167] = 2f;
        var r = o["Identity_2:0"].Data;
        r[167 * 16 + 0] = 4f; r[167 * 16 + 1] = -2f; r[167 * 16 + 2] = 30f; r[167 * 16 + 3] = 20f;
        // Layer 2 (8x8, 6 anchors): cell x=7, y=0, anchor 5 -> index (0*8+7)*6+5 = 47.
        o["Identity_1:0"].Data[47] = 0f;
        o["Identity_3:0"].Data[47 * 16 + 2] = 10f;
        o["Identity_3:0"].Data[47 * 16 + 3] = 10f;

        var got = AnchorGridDecoder.BlazeFace().Decode(o, 256, 256, 0.3f);
        Assert.HasCount(2, got);
        var cx = (3 + 0.5f) * 16 + 4;
        var cy = (5 + 0.5f) * 16 - 2;
        Assert.AreEqual(BoundingBox.FromCenter(cx, cy, 30, 20), got[0].Box);
        Assert.AreEqual(1f / (1f + MathF.Exp(-2f)), got[0].Score, 1e-6f);
        Assert.AreEqual(BoundingBox.FromCenter((7 + 0.5f) * 32, 0.5f * 32, 10, 10), got[1].Box);
        Assert.AreEqual(0.5f, got[1].Score, 1e-6f);
        Assert.HasCount(896, AnchorGridDecoder.BlazeFace().Decode(o, 256, 256, 0f));
    }

    [TestMethod]
    public void AnchorDecoderNamesExpectedAndFoundShapesOnMismatch()
    {
        var o = BlazeFaceOutputs();
        o["Identity:0"] = new DetectionTensor("Identity:0", [1, 500, 1], new float[500]);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => AnchorGridDecoder.BlazeFace().Decode(o, 256, 256, 0.5f));
        StringAssert.Contains(ex.Message, "[1, 500, 1]");
        StringAssert.Contains(ex.Message, "[1, 512, 1]");
        StringAssert.Contains(ex.Message, "Identity:0");
        o.Remove("Identity:0");
        var missing = Assert.ThrowsExactly<InvalidOperationException>(() => AnchorGridDecoder.BlazeFace().Decode(o, 256, 256, 0.5f));
        StringAssert.Contains(missing.Message, "'Identity:0'");
        StringAssert.Contains(missing.Message, "Identity_1:0");
    }

    [TestMethod]
    public void RealBlazeFaceRefusesDecodersThatDoNotMatchItsOutputs()
    {
        var yolo = Assert.ThrowsExactly<InvalidOperationException>(() => new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = new YoloDecoder(YoloLayout.ChannelsFirst) }));
        StringAssert.Contains(yolo.Message, "output0");
        StringAssert.Contains(yolo.Message, "[1, 512, 16]");
        var wrongGrid = new AnchorGridDecoder([new AnchorLayer(32, 32, 2, "Identity:0", "Identity_2:0")]);
        var grid = Assert.ThrowsExactly<InvalidOperationException>(() => new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = wrongGrid }));
        StringAssert.Contains(grid.Message, "[1, 2048, 1]");
        StringAssert.Contains(grid.Message, "[1, 512, 1]");
        var nchw = Assert.ThrowsExactly<InvalidOperationException>(() => new OnnxDetector(TestAssets.BlazeFaceBack, new OnnxDetectorOptions { Decoder = AnchorGridDecoder.BlazeFace(), Layout = ImageTensorLayout.Nchw }));
        StringAssert.Contains(nchw.Message, "[1, 256, 256, 3]");
    }

    [TestMethod]
    public void BoxesScoresLabelsDecoderReadsTorchvisionAndTensorFlowLayouts()
    {
        var torch = new Dictionary<string, DetectionTensor>
        {
            ["boxes"] = new("boxes", [3, 4], [10, 20, 30, 60, 0, 0, 5, 5, 1, 2, 3, 4]),
            ["scores"] = new("scores", [3], [0.9f, 0.2f, 0.6f]),
            ["labels"] = new("labels", [3], [1, 7, 3]),
        };
        var got = new BoxesScoresLabelsDecoder().Decode(torch, 100, 100, 0.5f);
        Assert.HasCount(2, got);
        Assert.AreEqual(new DetectionCandidate(new BoundingBox(10, 20, 30, 60), 0.9f, 1), got[0]);
        Assert.AreEqual(3, got[1].ClassId);

        var tf = new Dictionary<string, DetectionTensor>
        {
            ["detection_boxes"] = new("detection_boxes", [1, 1, 4], [0.1f, 0.2f, 0.5f, 0.6f]),
            ["detection_scores"] = new("detection_scores", [1, 1], [0.7f]),
        };
        var dec = new BoxesScoresLabelsDecoder("detection_boxes", "detection_scores", null, BoxFormat.YXYX, normalized: true);
        var b = dec.Decode(tf, 200, 100, 0f).Single().Box;
        Assert.AreEqual(40f, b.X1, 1e-4f);
        Assert.AreEqual(10f, b.Y1, 1e-4f);
        Assert.AreEqual(120f, b.X2, 1e-4f);
        Assert.AreEqual(50f, b.Y2, 1e-4f);

        torch["boxes"] = new("boxes", [3, 5], new float[15]);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => new BoxesScoresLabelsDecoder().Decode(torch, 100, 100, 0f));
        StringAssert.Contains(ex.Message, "[3, 5]");
        StringAssert.Contains(ex.Message, "[N, 4]");
    }

    [TestMethod]
    public void BoxesScoresLabelsDecoderRejectsInvertedBoxes()
    {
        var o = new Dictionary<string, DetectionTensor>
        {
            ["boxes"] = new("boxes", [1, 4], [30, 20, 10, 60]),
            ["scores"] = new("scores", [1], [0.9f]),
        };
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new BoxesScoresLabelsDecoder(labelsOutput: null).Decode(o, 100, 100, 0f));
        StringAssert.Contains(ex.Message, "Inverted");
    }

    [TestMethod]
    public void YoloDecoderGivesTheSameCandidatesInBothLayouts()
    {
        // Three candidates, two classes: rows of (cx, cy, w, h, class0, class1).
        float[][] rows =
        [
            [50, 40, 20, 10, 0.1f, 0.8f],
            [10, 10, 4, 4, 0.3f, 0.3f],
            [70, 70, 10, 30, 0.9f, 0.05f],
        ];
        var n = rows.Length;
        var v8 = new float[6 * n];
        var v5 = new float[7 * n];
        for (var i = 0; i < n; i++)
        {
            for (var f = 0; f < 6; f++)
                v8[f * n + i] = rows[i][f];
            for (var f = 0; f < 4; f++)
                v5[i * 7 + f] = rows[i][f];
            v5[i * 7 + 4] = 1f; // objectness
            v5[i * 7 + 5] = rows[i][4];
            v5[i * 7 + 6] = rows[i][5];
        }
        var a = new YoloDecoder(YoloLayout.ChannelsFirst).Decode(new Dictionary<string, DetectionTensor> { ["output0"] = new("output0", [1, 6, n], v8) }, 100, 100, 0.25f);
        var b = new YoloDecoder(YoloLayout.RowsWithObjectness, "output").Decode(new Dictionary<string, DetectionTensor> { ["output"] = new("output", [1, n, 7], v5) }, 100, 100, 0.25f);
        CollectionAssert.AreEqual(a.ToArray(), b.ToArray());
        Assert.HasCount(3, a);
        Assert.AreEqual(new DetectionCandidate(new BoundingBox(40, 35, 60, 45), 0.8f, 1), a[0]);
        Assert.AreEqual(0, a[1].ClassId, "ties go to the lower class");
        Assert.AreEqual(0, a[2].ClassId);

        // Objectness multiplies the class score in the v5 layout.
        v5[4] = 0.5f;
        var c = new YoloDecoder(YoloLayout.RowsWithObjectness, "output").Decode(new Dictionary<string, DetectionTensor> { ["output"] = new("output", [1, n, 7], v5) }, 100, 100, 0f);
        Assert.AreEqual(0.4f, c[0].Score, 1e-6f);

        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => new YoloDecoder(YoloLayout.ChannelsFirst).Decode(new Dictionary<string, DetectionTensor> { ["output0"] = new("output0", [1, 4, n], new float[4 * n]) }, 100, 100, 0f));
        StringAssert.Contains(ex.Message, "[1, 4, 3]");
        StringAssert.Contains(ex.Message, "[1, 4+C, N]");
    }
}
