using System.Reflection;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>Real models and rows for the ONNX scoring benchmarks (assets from scripts/fetch-assets.sh).</summary>
internal static class OnnxScoringBenchmarkData
{
    public static string AssetsRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HARDMINING_ASSETS");
            return string.IsNullOrEmpty(env) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hardmining-assets") : env;
        }
    }

    public static string Asset(params string[] parts)
    {
        var path = Path.Combine([AssetsRoot, .. parts]);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Real asset '{path}' is missing: run scripts/fetch-assets.sh first (or set HARDMINING_ASSETS).", path);
        return path;
    }

    public static string PaddleModel => Asset("paddle", "package", "assets", "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    /// <summary>Real MNIST digits, <paramref name="perDigit"/> of each, interleaved; label = digit 9.</summary>
    public static List<DigitRow> Mnist(int perDigit)
    {
        var byDigit = new List<float[]>[10];
        for (int d = 0; d < 10; d++)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Asset("mnist", "package", "src", "digits", $"{d}.json")));
            var all = doc.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            byDigit[d] = Enumerable.Range(0, Math.Min(perDigit, all.Length / 784)).Select(i => all.AsSpan(i * 784, 784).ToArray()).ToList();
        }
        var rows = new List<DigitRow>();
        for (int i = 0; i < perDigit; i++)
        {
            for (int d = 0; d < 10; d++)
            {
                if (i < byDigit[d].Count)
                    rows.Add(new DigitRow { Label = d == 9, Features = byDigit[d][i] });
            }
        }
        return rows;
    }

    /// <summary>Trains SDCA logistic regression (9 vs rest) on real digits and exports it with OnnxConverter.</summary>
    public static string ExportMnistModel(MLContext ml, List<DigitRow> rows, string folder)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression(new global::Microsoft.ML.Trainers.SdcaLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            Shuffle = false,
            MaximumNumberOfIterations = 20,
        }).Fit(data);
        var path = Path.Combine(folder, "mnist9-sdca.onnx");
        var featuresOnly = ml.Data.LoadFromEnumerable(rows.Select(r => new DigitFeatures { Features = r.Features }));
        using var stream = File.Create(path);
        ConvertToOnnx(ml, model, featuresOnly, stream);
        return path;
    }

    /// <summary>
    /// 3x48x192 tensors of real photographs (resized with ML.NET ImageAnalytics, normalised to [-1, 1]) repeated to <paramref name="rows"/> rows.
    /// </summary>
    public static List<PaddleRow> PaddleRows(MLContext ml, int rows)
    {
        string[] photos =
        [
            Asset("skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data", "astronaut.png"),
            Asset("skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data", "chelsea.png"),
            Asset("skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data", "coffee.png"),
            Asset("skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data", "bw_text.png"),
            Asset("darknet", "usr", "share", "darknet", "data", "dog.jpg"),
            Asset("darknet", "usr", "share", "darknet", "data", "horses.jpg"),
            Asset("opencv", "usr", "share", "doc", "opencv-doc", "examples", "data", "imageTextN.png"),
            Asset("opencv", "usr", "share", "doc", "opencv-doc", "examples", "data", "imageTextR.png"),
        ];
        var files = ml.Data.LoadFromEnumerable(photos.Select(p => new ImagePathRow { ImagePath = p }));
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(ImagePathRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 192, 48))
            .Append(ml.Transforms.ExtractPixels("x", "Image", scaleImage: 2f / 255f, offsetImage: -127.5f));
        var tensors = pipeline.Fit(files).Transform(files).GetColumn<VBuffer<float>>("x").Select(v => v.DenseValues().ToArray()).ToArray();
        return Enumerable.Range(0, rows).Select(i => new PaddleRow { X = tensors[i % tensors.Length] }).ToList();
    }

    /// <summary>
    /// Calls <c>mlContext.Model.ConvertToOnnx</c>. The benchmark project does not reference Microsoft.ML.OnnxConverter yet,
    /// so the assembly is taken from the NuGet package folder when it is not already loadable.
    /// </summary>
    private static void ConvertToOnnx(MLContext ml, ITransformer model, IDataView schemaData, Stream stream)
    {
        var type = Type.GetType("Microsoft.ML.OnnxExportExtensions, Microsoft.ML.OnnxConverter", throwOnError: false);
        if (type is null)
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(packages))
                packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var dll = Path.Combine(packages, "microsoft.ml.onnxconverter", "0.23.1", "lib", "netstandard2.0", "Microsoft.ML.OnnxConverter.dll");
            if (!File.Exists(dll))
                throw new FileNotFoundException($"Microsoft.ML.OnnxConverter 0.23.1 is not restored ('{dll}'): restore the test project first (dotnet build HardMining.sln).", dll);
            type = Assembly.LoadFrom(dll).GetType("Microsoft.ML.OnnxExportExtensions", throwOnError: true)!;
        }
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == "ConvertToOnnx" && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(
                [typeof(ModelOperationsCatalog), typeof(ITransformer), typeof(IDataView), typeof(Stream)]));
        method.Invoke(null, [ml.Model, model, schemaData, stream]);
    }
}

/// <summary>A real MNIST digit (784 pixels in [0, 1]) with its 9-vs-rest label.</summary>
public sealed class DigitRow
{
    /// <summary>Digit is 9.</summary>
    public bool Label { get; set; }

    /// <summary>Pixels.</summary>
    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

/// <summary>Only the pixels.</summary>
public sealed class DigitFeatures
{
    /// <summary>Pixels.</summary>
    [VectorType(784)]
    public float[] Features { get; set; } = [];
}

/// <summary>One 3x48x192 input of the PaddleOCR orientation classifier.</summary>
public sealed class PaddleRow
{
    /// <summary>Planar RGB values in [-1, 1].</summary>
    [ColumnName("x")]
    [VectorType(3 * 48 * 192)]
    public float[] X { get; set; } = [];
}

/// <summary>Path of an image file.</summary>
public sealed class ImagePathRow
{
    /// <summary>Path.</summary>
    public string ImagePath { get; set; } = "";
}
