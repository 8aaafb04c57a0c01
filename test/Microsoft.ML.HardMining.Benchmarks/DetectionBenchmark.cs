using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.HardMining.Detection;
using Microsoft.ML.HardMining.Detection.Experiments;

namespace Microsoft.ML.HardMining.Benchmarks;

/// <summary>
/// The false-positive-reduction benchmark (docs/benchmarks/detection.md): BlazeFace alone vs BlazeFace + a verifier
/// trained on random boxes, random detector candidates, or OHEM-mined candidates, over several seeds.
/// </summary>
/// <remarks>
/// Invoke with <c>DetectionBenchmark.Run(args)</c> (<c>Run(["features"])</c> measures the featurizer cost instead); options: <c>--seeds N</c> (default 5), <c>--per-background K</c>
/// composites per photograph (default 6), <c>--trainer lbfgs|sdca|fasttree</c> (default lbfgs), <c>--rois B</c> (OHEM RoIs per
/// image, default 16), <c>--ratio R</c> (negatives per positive, default 3), <c>--min-neg M</c> (default 4),
/// <c>--combination product|minimum|verifieronly</c> (default product).
/// Assets come from <c>HARDMINING_ASSETS</c> or <c>~/.cache/hardmining-assets</c> (scripts/fetch-assets.sh).
/// </remarks>
public static class DetectionBenchmark
{
    /// <summary>Runs the benchmark and prints a markdown report.</summary>
    /// <param name="args">Command-line options (see remarks).</param>
    /// <returns>0 on success.</returns>
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "features")
            return FeatureCost();
        int seeds = Int(args, "--seeds", 5), perBackground = Int(args, "--per-background", 6);
        int rois = Int(args, "--rois", 16), minNeg = Int(args, "--min-neg", 4);
        var ratio = double.Parse(Arg(args, "--ratio") ?? "3", CultureInfo.InvariantCulture);
        var trainer = Arg(args, "--trainer") ?? "lbfgs";
        var combination = Enum.Parse<VerifierCombination>(Arg(args, "--combination") ?? nameof(VerifierCombination.Product), ignoreCase: true);
        var assets = Assets();
        Console.WriteLine($"# Detection benchmark: seeds {seeds}, {perBackground} composites per photograph, trainer {trainer}, combination {combination}, OHEM B={rois} ratio={ratio} min-neg={minNeg}");
        var runs = new List<FaceVerifierResult>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var options = new FaceVerifierExperimentOptions
            {
                Seed = seed,
                ImagesPerBackground = perBackground,
                Combination = combination,
                Mining = new RoiMiningOptions { RoisPerImage = rois, NegativesPerPositive = ratio, MinNegativesPerImage = minNeg },
                Trainer = trainer switch
                {
                    "lbfgs" => ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
                    "sdca" => ml => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
                    "fasttree" => ml => ml.BinaryClassification.Trainers.FastTree(),
                    _ => throw new ArgumentException($"Unknown --trainer '{trainer}': use lbfgs, sdca or fasttree."),
                },
            };
            var r = FaceVerifierExperiment.Run(assets, options, new Progress<string>(m => Console.Error.WriteLine($"seed {seed}: {m}")));
            runs.Add(r);
            Console.WriteLine();
            Console.WriteLine($"## Seed {seed}: train {r.TrainImages} images / {r.TrainFaces} faces, test {r.TestImages} images / {r.TestFaces} faces, {r.Elapsed.TotalSeconds:0} s");
            Console.WriteLine($"Train candidates: {r.TrainCandidates}");
            Console.WriteLine($"OHEM: {r.Mined}; verifier positives: {r.TrainPositives}");
            Console.WriteLine($"BlazeFace at its 0.5 threshold: recall {r.DetectorRecall:0.000}, {r.DetectorFalsePositivesPerImage:0.000} FP/image");
            Console.WriteLine();
            Console.WriteLine($"BlazeFace at its 0.3 threshold (high-recall operating point): recall {r.Arms[0].HighRecall!.TargetRecall:0.000}");
            Console.WriteLine();
            Console.WriteLine("| system | train negatives | AP@0.5 | max recall | FP/image at the detector's recall (0.5) | background (IoU < 0.3) | localisation (IoU 0.3-0.5) | FP/image at the detector's recall (0.3) | background | localisation |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var a in r.Arms)
                Console.WriteLine($"| {a.Name} | {a.TrainNegatives} | {a.AveragePrecision:0.000} | {a.MaxRecall:0.000} | {Fmt(a.FalsePositivesPerImageAtDetectorRecall)} | {Fmt(a.BackgroundFalsePositivesPerImage)} | {Fmt(a.LocalisationFalsePositivesPerImage)} | {Fmt(a.HighRecall!.FalsePositivesPerImage)} | {Fmt(a.HighRecall.Background)} | {Fmt(a.HighRecall.Localisation)} |");
        }

        Console.WriteLine();
        Console.WriteLine($"## Summary over {seeds} seeds (mean ± sd)");
        Console.WriteLine();
        Console.WriteLine("| system | AP@0.5 | FP/image at the detector's recall | change vs detector | background FP/image | localisation FP/image | seeds with fewer FP than detector | seeds mined better / tie / worse |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var names = runs[0].Arms.Select(a => a.Name).ToArray();
        foreach (var name in names)
        {
            var ap = runs.Select(r => r.Arms.Single(a => a.Name == name).AveragePrecision).ToArray();
            var fp = runs.Select(r => r.Arms.Single(a => a.Name == name).FalsePositivesPerImageAtDetectorRecall ?? double.NaN).ToArray();
            var det = runs.Select(r => r.Arms[0].FalsePositivesPerImageAtDetectorRecall ?? double.NaN).ToArray();
            var mined = runs.Select(r => r.Arms.Single(a => a.Name == FaceVerifierExperiment.MinedArm).FalsePositivesPerImageAtDetectorRecall ?? double.NaN).ToArray();
            var change = fp.Zip(det, (f, d) => d > 0 ? (f - d) / d : 0).ToArray();
            var bg = runs.Select(r => r.Arms.Single(a => a.Name == name).BackgroundFalsePositivesPerImage ?? double.NaN).ToArray();
            var loc = runs.Select(r => r.Arms.Single(a => a.Name == name).LocalisationFalsePositivesPerImage ?? double.NaN).ToArray();
            var better = fp.Zip(det, (f, d) => f < d).Count(b => b);
            var vsMined = name is FaceVerifierExperiment.DetectorArm or FaceVerifierExperiment.MinedArm ? "—"
                : $"{mined.Zip(fp, (m, f) => m < f).Count(b => b)} / {mined.Zip(fp, (m, f) => m == f).Count(b => b)} / {mined.Zip(fp, (m, f) => m > f).Count(b => b)}";
            Console.WriteLine($"| {name} | {Mean(ap):0.000} ± {Sd(ap):0.000} | {Mean(fp):0.000} ± {Sd(fp):0.000} | {Mean(change) * 100:+0;-0}% | {Mean(bg):0.000} ± {Sd(bg):0.000} | {Mean(loc):0.000} ± {Sd(loc):0.000} | {(name == FaceVerifierExperiment.DetectorArm ? "—" : $"{better}/{seeds}")} | {vsMined} |");
        }
        Console.WriteLine();
        Console.WriteLine($"## Summary at the high-recall operating point (the detector's recall at threshold 0.3), {seeds} seeds");
        Console.WriteLine();
        Console.WriteLine("| system | FP/image | change vs detector | background FP/image | localisation FP/image | seeds with fewer FP than detector | seeds mined better / tie / worse |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var name in names)
        {
            var pts = runs.Select(r => r.Arms.Single(a => a.Name == name).HighRecall!).ToArray();
            var fp = pts.Select(p => p.FalsePositivesPerImage ?? double.NaN).ToArray();
            var det = runs.Select(r => r.Arms[0].HighRecall!.FalsePositivesPerImage ?? double.NaN).ToArray();
            var mined = runs.Select(r => r.Arms.Single(a => a.Name == FaceVerifierExperiment.MinedArm).HighRecall!.FalsePositivesPerImage ?? double.NaN).ToArray();
            var change = fp.Zip(det, (f, d) => d > 0 ? (f - d) / d : 0).ToArray();
            var bg = pts.Select(p => p.Background ?? double.NaN).ToArray();
            var loc = pts.Select(p => p.Localisation ?? double.NaN).ToArray();
            var better = fp.Zip(det, (f, d) => f < d).Count(b => b);
            var vsMined = name is FaceVerifierExperiment.DetectorArm or FaceVerifierExperiment.MinedArm ? "—"
                : $"{mined.Zip(fp, (m, f) => m < f).Count(b => b)} / {mined.Zip(fp, (m, f) => m == f).Count(b => b)} / {mined.Zip(fp, (m, f) => m > f).Count(b => b)}";
            Console.WriteLine($"| {name} | {Mean(fp):0.000} ± {Sd(fp):0.000} | {Mean(change) * 100:+0;-0}% | {Mean(bg):0.000} ± {Sd(bg):0.000} | {Mean(loc):0.000} ± {Sd(loc):0.000} | {(name == FaceVerifierExperiment.DetectorArm ? "—" : $"{better}/{seeds}")} | {vsMined} |");
        }
        return 0;
    }

    /// <summary>Measures the per-RoI cost of the cheap features against one ResNet18 forward pass (the featurizer ASSETS.md offers).</summary>
    private static int FeatureCost()
    {
        var assets = Assets();
        var image = RgbImage.Load(Path.Combine(assets.SkimageDir, "astronaut.png"));
        var featurizer = new RoiFeaturizer();
        var rng = new Random(1);
        var boxes = Enumerable.Range(0, 2000).Select(_ =>
        {
            var side = 40 + (float)rng.NextDouble() * 160;
            var x = (float)rng.NextDouble() * (512 - side);
            var y = (float)rng.NextDouble() * (512 - side);
            return new BoundingBox(x, y, x + side, y + side);
        }).ToArray();
        featurizer.Featurize(image, boxes[0]);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var b in boxes)
            featurizer.Featurize(image, b);
        var cheap = watch.Elapsed.TotalMilliseconds / boxes.Length;

        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(assets.BlazeFaceModel))))!;
        var resnet = Path.Combine(root, "resnet18", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(resnet, options);
        var input = session.InputMetadata.Keys.First();
        var data = new float[3 * 224 * 224];
        for (var i = 0; i < data.Length; i++) data[i] = (float)rng.NextDouble();
        using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(data, [1, 3, 224, 224]);
        using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
        using (session.Run(run, [input], [value], session.OutputNames)) { }
        const int passes = 20;
        watch.Restart();
        for (var i = 0; i < passes; i++)
            using (session.Run(run, [input], [value], session.OutputNames)) { }
        var deep = watch.Elapsed.TotalMilliseconds / passes;
        Console.WriteLine("| featurizer | ms per RoI (1 thread) | features |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| RoiFeaturizer (24x24 grey + HOG), {boxes.Length} RoIs | {cheap:0.000} | {featurizer.Length} |");
        Console.WriteLine($"| ResNet18 ONNX forward pass (224x224, no crop/resize counted), {passes} passes | {deep:0.0} | 512 |");
        return 0;
    }

    private static FaceAssets Assets()
    {
        var env = Environment.GetEnvironmentVariable("HARDMINING_ASSETS");
        var root = string.IsNullOrEmpty(env) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hardmining-assets") : env;
        // Copied beside the benchmark assembly (see the csproj): [CallerFilePath] is mapped away in deterministic CI builds.
        var json = Path.Combine(AppContext.BaseDirectory, "hand-labelled-faces.json");
        return new FaceAssets(
            Path.Combine(root, "skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data"),
            Path.Combine(root, "opencv", "usr", "share", "doc", "opencv-doc", "examples", "data"),
            Path.Combine(root, "darknet", "usr", "share", "darknet", "data"),
            Path.Combine(root, "blazeface", "package", "ONNX", "face_detection_back_256x256_barracuda.onnx"),
            json);
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Int(string[] args, string name, int fallback) => Arg(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string Fmt(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "not reached";

    private static double Mean(double[] v) => v.Average();

    private static double Sd(double[] v) => v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - v.Average()) * (x - v.Average())) / (v.Length - 1));
}
