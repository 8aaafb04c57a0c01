using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Scoring;

internal static class OnnxScoringTestHelpers
{
    /// <summary>Loads, resizes and extracts the pixels of real photos into a float vector column (planar CHW unless interleaved).</summary>
    public static IDataView Pixels(MLContext ml, string[] photos, string columnName, int width, int height, bool interleave, float scale, float offset)
    {
        var files = ml.Data.LoadFromEnumerable(photos.Select((p, i) => new ImageFile { Id = i, ImagePath = p }));
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(ImageFile.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", width, height, resizing: global::Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.IsoPad))
            .Append(ml.Transforms.ExtractPixels(columnName, "Image", interleavePixelColors: interleave, scaleImage: scale, offsetImage: offset))
            .Append(ml.Transforms.DropColumns("Image"));
        var view = pipeline.Fit(files).Transform(files);
        // Materialise once so every scorer sees identical tensors without decoding the photos again.
        return ml.Data.Cache(view);
    }

    public static float[][] VectorColumn(IDataView view, string name)
        => view.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray();

    public static float[] ScalarColumn(IDataView view, string name) => view.GetColumn<float>(name).ToArray();

    public static void AssertClose(float[][] expected, float[][] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, $"{what}: row count");
        double worst = 0;
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.HasCount(expected[r].Length, actual[r], $"{what}: values in row {r}");
            for (int j = 0; j < expected[r].Length; j++)
            {
                Assert.IsFalse(float.IsNaN(actual[r][j]), $"{what}: NaN at row {r} value {j}");
                worst = Math.Max(worst, Math.Abs(expected[r][j] - actual[r][j]));
            }
        }
        Assert.IsLessThanOrEqualTo(tolerance, worst, $"{what}: largest difference {worst}");
    }

    public static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
        => AssertClose(expected.Select(v => new[] { v }).ToArray(), actual.Select(v => new[] { v }).ToArray(), tolerance, what);
}
