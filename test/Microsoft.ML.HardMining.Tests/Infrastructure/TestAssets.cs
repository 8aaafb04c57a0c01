namespace Microsoft.ML.HardMining.Tests.Infrastructure;

/// <summary>Locates the real assets fetched by <c>scripts/fetch-assets.sh</c>.</summary>
internal static class TestAssets
{
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HARDMINING_ASSETS");
            var root = string.IsNullOrEmpty(env)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hardmining-assets")
                : env;
            return root;
        }
    }

    /// <summary>Path of an asset file; fails the test with the command to run when it is missing.</summary>
    public static string Require(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Fail($"Real asset '{path}' is missing: run scripts/fetch-assets.sh first (or set HARDMINING_ASSETS).");
        return path;
    }

    public static string MnistDigits => Require("mnist", "package", "src", "digits");
    public static string SpamData => Require("spam", "package", "data");
    public static string BlazeFaceBack => Require("blazeface", "package", "ONNX", "face_detection_back_256x256_barracuda.onnx");
    public static string BlazeFaceFront => Require("blazeface", "package", "ONNX", "face_detection_front_128x128_barracuda.onnx");
    public static string SkimageData => Require("skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data");
    public static string DarknetData => Require("darknet", "usr", "share", "darknet", "data");
    public static string OpenCvData => Require("opencv", "usr", "share", "doc", "opencv-doc", "examples", "data");
    public static string PaddleOrientationClassifier => Require("paddle", "package", "assets", "ch_ppocr_mobile_v2.0_cls_infer.onnx");
    public static string ResNet18 => Require("resnet18", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
    public static string ResNetPreprocess => Require("resnet18", "tools", "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");
}
