using System.Diagnostics;
using System.Text.Json;

namespace Microsoft.ML.HardMining.Detection.Experiments;

/// <summary>Where the real photographs and models are (see scripts/fetch-assets.sh).</summary>
internal sealed record FaceAssets(string SkimageDir, string OpenCvDir, string DarknetDir, string BlazeFaceModel, string HandLabelsJson);

/// <summary>Settings of one run of <see cref="FaceVerifierExperiment"/>.</summary>
internal sealed class FaceVerifierExperimentOptions
{
    public int ImagesPerBackground { get; set; } = 3;
    public int BackgroundsPerSplit { get; set; } = int.MaxValue;
    public int Seed { get; set; } = 1;
    public float MiningMinScore { get; set; } = 0.05f;
    public float TestMinScore { get; set; } = 0.1f;
    public float DetectorThreshold { get; set; } = 0.5f;
    public float HighRecallThreshold { get; set; } = 0.3f;
    public RoiMiningOptions Mining { get; set; } = new() { RoisPerImage = 16, NegativesPerPositive = 3, MinNegativesPerImage = 4 };
    public VerifierCombination Combination { get; set; } = VerifierCombination.Product;
    public ImageFitMode FitMode { get; set; } = ImageFitMode.Letterbox;
    public bool LogFalsePositives { get; set; }
    public bool TrainRandomArms { get; set; } = true;
    public RoiLabelingOptions Labeling { get; set; } = new() { PositiveIouThreshold = 0.5f, NegativeIouThreshold = 0.5f };
    public required Func<MLContext, IEstimator<ITransformer>> Trainer { get; init; }
}

/// <summary>Metrics of one system on the test split.</summary>
internal sealed record ArmResult(string Name, int TrainNegatives, double AveragePrecision, double MaxRecall, double? FalsePositivesPerImageAtDetectorRecall, double TargetRecall, double? BackgroundFalsePositivesPerImage, double? LocalisationFalsePositivesPerImage)
{
    /// <summary>The same split at the high-recall operating point (the detector's recall at <see cref="FaceVerifierExperimentOptions.HighRecallThreshold"/>).</summary>
    public OperatingPoint? HighRecall { get; init; }
}

/// <summary>False positives per image (all, background, localisation) at a target recall.</summary>
internal sealed record OperatingPoint(double TargetRecall, double? FalsePositivesPerImage, double? Background, double? Localisation);

/// <summary>Everything one run measured.</summary>
internal sealed record FaceVerifierResult(
    int TrainImages, int TestImages, int TrainFaces, int TestFaces,
    CandidateReport TrainCandidates, RoiMiningResult Mined, int TrainPositives,
    double DetectorRecall, double DetectorFalsePositivesPerImage,
    IReadOnlyList<ArmResult> Arms, TimeSpan Elapsed);

/// <summary>
/// The false-positive-reduction benchmark: real LFW faces pasted on real photographs (split by photograph) plus the
/// hand-labelled unmodified photographs; BlazeFace alone vs BlazeFace + a verifier trained on random boxes, on random
/// detector candidates, or on OHEM-mined candidates (same positives and the same number of negatives in every arm).
/// </summary>
internal static class FaceVerifierExperiment
{
    public const string DetectorArm = "BlazeFace alone";
    public const string RandomBoxesArm = "+ verifier, random boxes";
    public const string RandomCandidatesArm = "+ verifier, random candidates";
    public const string MinedArm = "+ verifier, OHEM-mined";

    // Photographs without human faces (checked by eye); natural hard negatives spread over both splits.
    public static readonly string[] TrainBackgrounds =
    [
        "skimage/chelsea.png", "opencv/board.jpg", "darknet/dog.jpg", "opencv/baboon.jpg", "opencv/stuff.jpg", "darknet/person.jpg",
        "skimage/coffee.png", "skimage/brick.png", "skimage/gravel.png", "skimage/hubble_deep_field.jpg", "skimage/moon.png",
        "opencv/fruits.jpg", "opencv/butterfly.jpg", "opencv/smarties.png", "opencv/home.jpg", "opencv/aero1.jpg",
        "opencv/Blender_Suzanne1.jpg", "opencv/box_in_scene.png", "opencv/ela_original.jpg", "opencv/aloeL.jpg", "opencv/licenseplate_motion.jpg",
    ];

    public static readonly string[] TestBackgrounds =
    [
        "darknet/horses.jpg", "darknet/eagle.jpg", "opencv/squirrel_cls.jpg", "opencv/apple.jpg", "opencv/chicky_512.png", "skimage/horse.png",
        "skimage/rocket.jpg", "skimage/grass.png", "skimage/coins.png", "skimage/motorcycle_left.png", "skimage/ihc.png",
        "opencv/building.jpg", "opencv/orange.jpg", "opencv/starry_night.jpg", "opencv/leuvenA.jpg", "opencv/aero3.jpg",
        "opencv/Blender_Suzanne2.jpg", "opencv/rubberwhale1.png", "opencv/pca_test1.jpg", "opencv/blox.jpg", "darknet/giraffe.jpg",
    ];

    public static FaceVerifierResult Run(FaceAssets assets, FaceVerifierExperimentOptions options, IProgress<string>? log = null)
    {
        var watch = Stopwatch.StartNew();
        var ml = new MLContext(seed: options.Seed);
        var lfw = NpyReader.ReadGrayImages(Path.Combine(assets.SkimageDir, "lfw_subset.npy"));
        var faces = lfw.Take(100).ToArray();
        var nonFaces = lfw.Skip(100).ToArray();
        var hand = LoadHandLabels(assets);

        var composite = new CompositeSetOptions { ImagesPerBackground = options.ImagesPerBackground, Seed = options.Seed };
        var train = CompositeDetectionSet.Compose(LoadBackgrounds(assets, TrainBackgrounds.Take(options.BackgroundsPerSplit)), faces[..50], nonFaces[..50], composite).ToList();
        composite.Seed = options.Seed + 1000;
        var test = CompositeDetectionSet.Compose(LoadBackgrounds(assets, TestBackgrounds.Take(options.BackgroundsPerSplit)), faces[50..], nonFaces[50..], composite).ToList();
        train.Add(hand["astronaut.png"]);
        test.Add(hand["messi5.jpg"]);
        log?.Report($"[{watch.Elapsed.TotalSeconds:0.0}s] train {train.Count} images / {train.Sum(i => i.GroundTruth.Count)} faces; test {test.Count} images / {test.Sum(i => i.GroundTruth.Count)} faces");

        // 1. Every RoI the detector proposes on the training images (no NMS: OHEM's own NMS by loss de-duplicates).
        using var miningDetector = OnnxDetector.BlazeFace(assets.BlazeFaceModel, options.MiningMinScore, nmsIouThreshold: null, options.FitMode);
        var candidates = CandidateGenerator.Generate(miningDetector, train, options.Labeling);
        log?.Report($"[{watch.Elapsed.TotalSeconds:0.0}s] train candidates: " + candidates.Report);
        var mined = RoiMiner.Mine(ml, candidates.Rows, options.Mining);
        log?.Report($"[{watch.Elapsed.TotalSeconds:0.0}s] OHEM: " + mined);

        // 2. Identical positives in every arm: the ground truth plus the detector's positive RoIs.
        var imageById = candidates.Images.ToDictionary(i => i.Id, i => i.Load());
        var positives = new List<(RgbImage, BoundingBox, bool)>();
        foreach (var item in candidates.Images)
            positives.AddRange(item.GroundTruth.Select(g => (imageById[item.Id], g, true)));
        positives.AddRange(candidates.Rows.Where(r => r.Label).Select(r => (imageById[r.ImageId], r.GetBox(), true)));

        // 3. Negatives: OHEM-mined, a random sample of the same candidates, and random boxes; same count per image.
        var minedNegatives = mined.SelectedRowObjects().Where(r => !r.Label).ToList();
        var perImage = minedNegatives.GroupBy(r => r.ImageId).ToDictionary(g => g.Key, g => g.Count());
        var rng = new Random(options.Seed);
        var randomCandidates = new List<CandidateRow>();
        foreach (var group in candidates.Rows.Where(r => r.GetKind() == RoiLabel.Negative).GroupBy(r => r.ImageId))
        {
            var want = perImage.GetValueOrDefault(group.Key);
            randomCandidates.AddRange(group.OrderBy(_ => rng.Next()).Take(want));
        }
        var randomBoxes = new List<(RgbImage, BoundingBox, bool)>();
        foreach (var (id, count) in perImage)
        {
            var image = imageById[id];
            var truth = candidates.Images.First(i => i.Id == id).GroundTruth;
            var longSide = Math.Max(image.Width, image.Height);
            for (int made = 0, attempts = 0; made < count && attempts < 1000; attempts++)
            {
                var side = (0.06f + 0.3f * (float)rng.NextDouble()) * longSide;
                if (side >= image.Width || side >= image.Height) continue;
                var x = (float)rng.NextDouble() * (image.Width - side);
                var y = (float)rng.NextDouble() * (image.Height - side);
                var box = new BoundingBox(x, y, x + side, y + side);
                if (truth.Any(g => g.IoU(box) >= options.Labeling.NegativeIouThreshold)) continue;
                randomBoxes.Add((image, box, false));
                made++;
            }
        }

        var featurizer = new RoiFeaturizer();
        ITransformer Train(IEnumerable<(RgbImage, BoundingBox, bool)> negatives)
        {
            var t0 = watch.Elapsed;
            var data = ml.Data.Cache(FalsePositiveVerifier.CreateData(ml, featurizer, positives.Concat(negatives)));
            var t1 = watch.Elapsed;
            var model = FalsePositiveVerifier.CreateTrainingPipeline(ml, options.Trainer(ml)).Fit(data);
            log?.Report($"[{watch.Elapsed.TotalSeconds:0.0}s] featurized in {(t1 - t0).TotalSeconds:0.0}s, fitted in {(watch.Elapsed - t1).TotalSeconds:0.0}s");
            return model;
        }
        var arms = new List<(string Name, int Negatives, ITransformer Model)>();
        if (options.TrainRandomArms)
        {
            arms.Add((RandomBoxesArm, randomBoxes.Count, Train(randomBoxes)));
            arms.Add((RandomCandidatesArm, randomCandidates.Count, Train(randomCandidates.Select(r => (imageById[r.ImageId], r.GetBox(), false)))));
        }
        arms.Add((MinedArm, minedNegatives.Count, Train(minedNegatives.Select(r => (imageById[r.ImageId], r.GetBox(), false)))));
        log?.Report($"[{watch.Elapsed.TotalSeconds:0.0}s] positives {positives.Count}; negatives: {string.Join(", ", arms.Select(a => $"{a.Name} {a.Negatives}"))}");

        // 4. Test split: detector alone vs each verifier, on the same detections.
        using var detector = OnnxDetector.BlazeFace(assets.BlazeFaceModel, options.TestMinScore, nmsIouThreshold: 0.3f, options.FitMode);
        var detections = test.Select(item => (Item: item, Image: item.Load())).Select(t => (t.Item, t.Image, Result: detector.Detect(t.Image))).ToList();
        var aloneScored = detections.Select(d => d.Result.Candidates.Select(c => new ScoredBox(c.Box, c.Score)).ToArray()).ToList();
        var alone = Evaluate(detections.Select(d => d.Item).ToList(), aloneScored, recall: null, DetectorArm, 0, options, log);
        var targets = (alone.TargetRecall, alone.HighRecall!.TargetRecall);
        var detectorRecall = alone.TargetRecall;
        var results = new List<ArmResult> { alone };
        foreach (var (name, negatives, model) in arms)
        {
            var verified = new VerifiedDetector(ml, detector, model, featurizer, options.Combination);
            var scored = detections.Select(d => verified.Rescore(d.Image, d.Result.Candidates).Select(v => new ScoredBox(v.Box, v.Score)).ToArray()).ToList();
            results.Add(Evaluate(detections.Select(d => d.Item).ToList(), scored, targets, name, negatives, options, log));
        }
        var (_, detectorFppi) = DetectionEvaluator.Evaluate(detections.Select((d, i) => new ImageDetections(d.Item.Id, d.Item.GroundTruth, aloneScored[i]))).AtThreshold(options.DetectorThreshold);
        watch.Stop();
        return new FaceVerifierResult(train.Count, test.Count, train.Sum(i => i.GroundTruth.Count), test.Sum(i => i.GroundTruth.Count),
            candidates.Report, mined, positives.Count, detectorRecall, detectorFppi, results, watch.Elapsed);
    }

    /// <summary>
    /// Evaluates one system; at the point of its curve that first reaches the target recall (the detector's recall at its
    /// threshold; for the detector itself that threshold) it splits the false positives into background ones (IoU below
    /// 0.3 with every face) and localisation errors (a face overlapped at IoU 0.3 to 0.5).
    /// </summary>
    private static ArmResult Evaluate(IReadOnlyList<LabeledImage> items, IReadOnlyList<ScoredBox[]> scored, (double Main, double High)? recall, string name, int negatives, FaceVerifierExperimentOptions options, IProgress<string>? log)
    {
        var m = DetectionEvaluator.Evaluate(items.Select((it, i) => new ImageDetections(it.Id, it.GroundTruth, scored[i])));
        var main = recall?.Main ?? m.AtThreshold(options.DetectorThreshold).Recall;
        var high = recall?.High ?? m.AtThreshold(options.HighRecallThreshold).Recall;
        // The evaluator's matching order: score descending, then image, then detection index.
        var flat = scored.SelectMany((boxes, i) => boxes.Select((b, j) => (b, i, j))).OrderByDescending(t => t.b.Score).ThenBy(t => t.i).ThenBy(t => t.j).ToList();
        OperatingPoint Split(double target, bool logIt)
        {
            var reach = m.Curve.Select((p, k) => (p, k)).FirstOrDefault(t => t.p.Recall >= target - 1e-12, (default, -1)).k;
            int background = 0, localisation = 0;
            for (var k = 0; k <= reach; k++)
            {
                if (m.IsTruePositive[k]) continue;
                var (b, i, _) = flat[k];
                var best = items[i].GroundTruth.Select(g => g.IoU(b.Box)).DefaultIfEmpty(0).Max();
                if (best < 0.3f) background++; else localisation++;
                if (logIt && options.LogFalsePositives)
                    log?.Report($"   FP {name}: {items[i].Id} {b.Box} score {b.Score:0.00} best IoU {best:0.00}");
            }
            double? PerImage(int n) => reach < 0 ? null : (double)n / items.Count;
            return new OperatingPoint(target, m.FalsePositivesPerImageAtRecall(target), PerImage(background), PerImage(localisation));
        }
        var at = Split(main, logIt: true);
        return new ArmResult(name, negatives, m.AveragePrecision, m.MaxRecall, at.FalsePositivesPerImage, main, at.Background, at.Localisation)
        {
            HighRecall = Split(high, logIt: false),
        };
    }

    private static List<(string, RgbImage)> LoadBackgrounds(FaceAssets assets, IEnumerable<string> names)
        => names.Select(n => (n, RgbImage.Load(Resolve(assets, n)))).ToList();

    private static string Resolve(FaceAssets assets, string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var dir = name[..slash] switch
        {
            "skimage" => assets.SkimageDir,
            "opencv" => assets.OpenCvDir,
            "darknet" => assets.DarknetDir,
            var other => throw new InvalidDataException($"Unknown asset folder '{other}'."),
        };
        return Path.Combine(dir, name[(slash + 1)..]);
    }

    /// <summary>Reads the hand-labelled faces JSON (test/Microsoft.ML.HardMining.Tests/Detection/hand-labelled-faces.json).</summary>
    public static Dictionary<string, LabeledImage> LoadHandLabels(FaceAssets assets)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(assets.HandLabelsJson));
        var result = new Dictionary<string, LabeledImage>(StringComparer.Ordinal);
        foreach (var e in doc.RootElement.GetProperty("images").EnumerateArray())
        {
            var file = e.GetProperty("file").GetString()!;
            var path = Resolve(assets, e.GetProperty("asset").GetString() + "/" + file);
            var faces = e.GetProperty("faces").EnumerateArray().Select(b => BoundingBox.FromArray(b.EnumerateArray().Select(v => v.GetSingle()).ToArray())).ToArray();
            result[file] = new LabeledImage(file, path, faces);
        }
        return result;
    }
}
