using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Scoring;

/// <summary>A row of MNIST: 784 pixel values in [0, 1], the digit, an id, and the 9-vs-rest label.</summary>
public sealed class DigitRow
{
    public int Id { get; set; }

    public int Digit { get; set; }

    public bool Label { get; set; }

    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

/// <summary>Only the features: the schema an ONNX export of a 784-feature model is made from.</summary>
public sealed class DigitFeatures
{
    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

/// <summary>Real MNIST digits, read by the CLI's loader (shared through <see cref="RealDatasets"/>).</summary>
internal static class MnistDigits
{
    public const int Pixels = global::Microsoft.ML.HardMining.Cli.Datasets.MnistDigits.PixelCount;

    /// <summary>The first <paramref name="perDigit"/> images of each digit, interleaved digit by digit, with ids 0..n-1.</summary>
    public static List<DigitRow> Load(int perDigit, int positiveDigit = 9)
    {
        var byDigit = RealDatasets.AllMnistDigits.GroupBy(d => d.Digit).OrderBy(g => g.Key).Select(g => g.Take(perDigit).ToList()).ToArray();
        var rows = new List<DigitRow>();
        for (int i = 0; i < perDigit; i++)
        {
            foreach (var images in byDigit)
            {
                if (i < images.Count)
                    rows.Add(new DigitRow { Id = rows.Count, Digit = images[i].Digit, Label = images[i].Digit == positiveDigit, Features = images[i].Pixels.ToArray() });
            }
        }
        return rows;
    }
}

/// <summary>
/// An SDCA logistic regression trained on real MNIST (9 vs rest) and exported with OnnxConverter into a temporary folder.
/// </summary>
internal sealed class MnistOnnxExport : IDisposable
{
    private MnistOnnxExport(string folder, string modelPath, List<DigitRow> rows, ITransformer model)
    {
        Folder = folder;
        ModelPath = modelPath;
        Rows = rows;
        Model = model;
    }

    public string Folder { get; }

    /// <summary>The ONNX export: input <c>Features</c> [-1,784]; outputs <c>Score.output</c>, <c>Probability.output</c>, ...</summary>
    public string ModelPath { get; }

    /// <summary>The real rows the model was trained on (and is scored on in the tests).</summary>
    public List<DigitRow> Rows { get; }

    /// <summary>The ML.NET model itself.</summary>
    public ITransformer Model { get; }

    public static MnistOnnxExport Create(int perDigit = 40)
    {
        var ml = new MLContext(seed: 1);
        var rows = MnistDigits.Load(perDigit);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.BinaryClassification.Trainers.SdcaLogisticRegression(new global::Microsoft.ML.Trainers.SdcaLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            Shuffle = false,
            MaximumNumberOfIterations = 20,
        });
        var model = trainer.Fit(data);
        var folder = Path.Combine(Path.GetTempPath(), "hardmining-onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "mnist9-sdca.onnx");
        var featuresOnly = ml.Data.LoadFromEnumerable(rows.Select(r => new DigitFeatures { Features = r.Features }));
        using (var stream = File.Create(path))
            ml.Model.ConvertToOnnx(model, featuresOnly, stream);
        return new MnistOnnxExport(folder, path, rows, model);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A session may still hold the file on some platforms; the folder is in the temp directory.
        }
    }
}

/// <summary>Real photographs from the fetched Debian packages.</summary>
internal static class RealPhotos
{
    public static string[] All()
    {
        var skimage = TestAssets.SkimageData;
        var darknet = TestAssets.DarknetData;
        var opencv = TestAssets.OpenCvData;
        string[] paths =
        [
            Path.Combine(skimage, "astronaut.png"), Path.Combine(skimage, "chelsea.png"), Path.Combine(skimage, "coffee.png"),
            Path.Combine(skimage, "rocket.jpg"), Path.Combine(skimage, "brick.png"), Path.Combine(skimage, "grass.png"),
            Path.Combine(skimage, "gravel.png"), Path.Combine(skimage, "bw_text.png"), Path.Combine(skimage, "motorcycle_left.png"),
            Path.Combine(darknet, "dog.jpg"), Path.Combine(darknet, "horses.jpg"), Path.Combine(darknet, "person.jpg"),
            Path.Combine(darknet, "eagle.jpg"), Path.Combine(darknet, "giraffe.jpg"), Path.Combine(darknet, "kite.jpg"),
            Path.Combine(darknet, "scream.jpg"), Path.Combine(opencv, "messi5.jpg"), Path.Combine(opencv, "fruits.jpg"),
            Path.Combine(opencv, "baboon.jpg"), Path.Combine(opencv, "imageTextN.png"), Path.Combine(opencv, "imageTextR.png"),
        ];
        foreach (var p in paths)
            Assert.IsTrue(File.Exists(p), $"Real photo '{p}' is missing: run scripts/fetch-assets.sh.");
        return paths;
    }
}

/// <summary>A row holding the path of an image file.</summary>
public sealed class ImageFile
{
    public int Id { get; set; }

    public string ImagePath { get; set; } = "";
}
