using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.ML.HardMining.Detection;
using Microsoft.ML.HardMining.Tests.Infrastructure;

namespace Microsoft.ML.HardMining.Tests.Detection;

/// <summary>The hand-labelled faces of the real photographs (hand-labelled-faces.json beside this file).</summary>
internal static class HandLabels
{
    public sealed record Entry(string Path, string File, IReadOnlyList<BoundingBox> Faces);

    public static IReadOnlyList<Entry> Load()
    {
        var json = System.IO.File.ReadAllText(JsonPath());
        using var doc = JsonDocument.Parse(json);
        var list = new List<Entry>();
        foreach (var e in doc.RootElement.GetProperty("images").EnumerateArray())
        {
            var asset = e.GetProperty("asset").GetString()!;
            var file = e.GetProperty("file").GetString()!;
            var dir = asset switch
            {
                "skimage" => TestAssets.SkimageData,
                "opencv" => TestAssets.OpenCvData,
                "darknet" => TestAssets.DarknetData,
                _ => throw new InvalidDataException($"Unknown asset '{asset}' in hand-labelled-faces.json."),
            };
            var faces = e.GetProperty("faces").EnumerateArray()
                .Select(b => b.EnumerateArray().Select(v => v.GetSingle()).ToArray())
                .Select(a => BoundingBox.FromArray(a))
                .ToArray();
            list.Add(new Entry(System.IO.Path.Combine(dir, file), file, faces));
        }
        return list;
    }

    public static Entry Get(string file) => Load().Single(e => e.File == file);

    // Copied beside the test assembly: a source path from [CallerFilePath] is mapped away in CI (deterministic) builds.
    private static string JsonPath() => System.IO.Path.Combine(AppContext.BaseDirectory, "Detection", "hand-labelled-faces.json");
}
