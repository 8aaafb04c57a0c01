using System.Text.Json.Nodes;

namespace Microsoft.ML.HardMining.Tests.Notebooks;

/// <summary>
/// Every C# cell of every notebook in docs/notebooks runs, in order, against the freshly built library and CLI, without error.
/// Set HARDMINE_UPDATE_NOTEBOOKS=1 to write this run's outputs into the notebooks and its plots into docs/images.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class NotebookTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("spam-false-positives.ipynb", "spam-", "hard ham among the mined hard ham")]
    [DataRow("onnx-scored-mining.ipynb", "mnist-", "hard negatives by digit")]
    [DataRow("detector-false-positives.ipynb", "detector-", "images among the 16 hardest")]
    public void NotebookRunsEveryCell(string name, string imagePrefix, string expectedText)
    {
        var isDetector = imagePrefix == "detector-";
        var root = NotebookRunner.RepoRoot;
        var notebook = Path.Combine(root, "docs", "notebooks", name);
        var update = Environment.GetEnvironmentVariable("HARDMINE_UPDATE_NOTEBOOKS") == "1";
        var images = update ? Path.Combine(root, "docs", "images") : Path.Combine(Path.GetTempPath(), "hardmine-notebook-images", Guid.NewGuid().ToString("N"));
        var result = NotebookRunner.Run(notebook, new Dictionary<string, string> { ["HARDMINE_NOTEBOOK_IMAGES"] = images }, TimeSpan.FromMinutes(9));
        TestContext.WriteLine(string.Join("\n", result.CellOutputs.OrderBy(kv => kv.Key).Select(kv => $"--- cell {kv.Key}\n{kv.Value}")));
        Assert.AreEqual(0, result.ExitCode, $"{name} failed:\n{result.StandardError}\n--- program:\n{result.Program}");

        var cells = JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray();
        var codeCells = Enumerable.Range(0, cells.Count).Where(i => (string?)cells[i]!["cell_type"] == "code").ToList();
        var ran = codeCells.Where(result.CellOutputs.ContainsKey).ToList();
        Assert.IsGreaterThanOrEqualTo(codeCells.Count - 3, ran.Count, "every statement cell ran (reference, using and type cells have no marker)");
        var all = string.Concat(result.CellOutputs.Values);
        Assert.Contains(expectedText, all);
        if (isDetector)
            AssertDetectorRun(all);
        else
            Assert.Contains("FPR@R95", all);
        var pngs = isDetector ? new[] { "hardest-false-positives.png" } : new[] { "loss-histogram-negative.png", "pr-curve.png", "mining-rounds-rows.png" };
        foreach (var png in pngs)
            Assert.IsTrue(File.Exists(Path.Combine(images, imagePrefix + png)), $"{imagePrefix}{png} written");

        if (update) NotebookRunner.SaveOutputs(notebook, result);
        // The committed notebook carries the outputs of a real run: every cell that prints here has saved output there.
        var saved = JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray();
        foreach (var i in ran.Where(i => result.CellOutputs[i].Trim().Length > 0))
            Assert.IsNotEmpty(saved[i]!["outputs"]!.AsArray(), $"{name} cell {i} has saved outputs (run with HARDMINE_UPDATE_NOTEBOOKS=1 to refresh)");
    }

    /// <summary>
    /// The detector notebook: the verifier's FP/image at the detector's recall is printed and below the detector's own, and
    /// the photograph holding most of the hardest mined false positives is the cat (BlazeFace's known false positive).
    /// </summary>
    private static void AssertDetectorRun(string output)
    {
        var m = System.Text.RegularExpressions.Regex.Match(output, @"FP/image at the detector's recall (?<r>[0-9.]+): detector (?<d>[0-9.]+), verifier (?<v>[0-9.]+)");
        Assert.IsTrue(m.Success, "the FP/image comparison line is printed (and the verifier reaches the detector's recall)");
        double Number(string group) => double.Parse(m.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(0.0, Number("r"), "the detector finds faces at its threshold");
        Assert.IsLessThan(Number("d"), Number("v"), "the OHEM-trained verifier has fewer FP/image than the detector at the detector's recall");
        // Images are listed by how many of the 16 hardest mined negatives they hold: the cat photograph comes first.
        var hardest = output.Split('\n').Single(l => l.StartsWith("images among the 16 hardest:", StringComparison.Ordinal));
        Assert.StartsWith("images among the 16 hardest: chelsea.png ", hardest);
    }
}
