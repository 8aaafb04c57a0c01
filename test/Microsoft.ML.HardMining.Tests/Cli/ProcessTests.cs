using System.Diagnostics;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>The built <c>hardmine</c> as a separate process with redirected output: quiet (no progress, no escape codes) and the documented exit codes.</summary>
[TestClass]
public sealed class ProcessTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hardmine.dll");
        Assert.IsTrue(File.Exists(dll), $"{dll} is built beside the tests");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(120_000), "hardmine finished");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [TestMethod]
    public void RedirectedRunIsQuietAndExitCodesHold()
    {
        var spam = CliTestData.Spam;
        var dir = CliTestData.NewFolder();
        var output = Path.Combine(dir, "hard.csv");
        var (code, stdout, stderr) = Run("mine", spam.TrainCsv, "--model", spam.ModelZip, "-o", output);
        Assert.AreEqual(0, code, stderr);
        Assert.DoesNotContain("\u001b[", stdout, "no escape codes or progress bars when redirected");
        Assert.Contains("Mined rows:", stdout);
        Assert.IsTrue(File.Exists(output));

        (code, stdout, stderr) = Run("mine", Path.Combine(dir, "missing.csv"), "--model", spam.ModelZip);
        Assert.AreEqual(1, code);
        Assert.AreEqual("", stdout);
        Assert.AreEqual(1, stderr.Trim().Split('\n').Length, stderr);
        StringAssert.StartsWith(stderr, "hardmine: error: Input file");
    }
}
