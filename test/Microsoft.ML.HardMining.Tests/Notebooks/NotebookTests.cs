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
    public void NotebookRunsEveryCell(string name, string imagePrefix, string expectedText)
    {
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
        Assert.Contains("FPR@R95", all);
        Assert.Contains(expectedText, all);
        foreach (var png in new[] { "loss-histogram-negative.png", "pr-curve.png", "mining-rounds-rows.png" })
            Assert.IsTrue(File.Exists(Path.Combine(images, imagePrefix + png)), $"{imagePrefix}{png} written");

        if (update) NotebookRunner.SaveOutputs(notebook, result);
        // The committed notebook carries the outputs of a real run: every cell that prints here has saved output there.
        var saved = JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray();
        foreach (var i in ran.Where(i => result.CellOutputs[i].Trim().Length > 0))
            Assert.IsNotEmpty(saved[i]!["outputs"]!.AsArray(), $"{name} cell {i} has saved outputs (run with HARDMINE_UPDATE_NOTEBOOKS=1 to refresh)");
    }
}
