using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.ML.HardMining.Tests.Notebooks;

namespace Microsoft.ML.HardMining.Tests.Packaging;

/// <summary>
/// <c>dotnet pack</c> of the library yields a package with README, licence, XML docs, symbols and bounded dependency ranges,
/// and a fresh console project restores it from a local folder and runs a mining pipeline with it.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PackageTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void PackedLibraryRestoresIntoAFreshProjectAndMines()
    {
        var root = NotebookRunner.RepoRoot;
        var work = Path.Combine(Path.GetTempPath(), "hardmine-package-test", Guid.NewGuid().ToString("N"));
        var feed = Path.Combine(work, "feed");
        Directory.CreateDirectory(feed);
        // A unique version: the global package cache never serves a stale copy of an earlier run.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        Run(root, "pack", Path.Combine(root, "src", "Microsoft.ML.HardMining"), "-c", "Release", "--no-build", "-o", feed, $"-p:Version={version}");

        var nupkg = Path.Combine(feed, $"Microsoft.ML.HardMining.{version}.nupkg");
        Assert.IsTrue(File.Exists(Path.Combine(feed, $"Microsoft.ML.HardMining.{version}.snupkg")), "symbols package");
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var names = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (var expected in new[] { "README.md", "lib/net10.0/Microsoft.ML.HardMining.dll", "lib/net10.0/Microsoft.ML.HardMining.xml" })
                Assert.Contains(expected, names, $"{expected} in the package");
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.AreEqual("MIT", metadata.Element(ns + "license")!.Value);
            Assert.AreEqual("README.md", metadata.Element(ns + "readme")!.Value);
            var dependencies = metadata.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
            Assert.AreEqual("[5.0.1, 6.0.0)", dependencies["Microsoft.ML"]);
            Assert.AreEqual("[2.88.9, 3.0.0)", dependencies["SkiaSharp"], "SkiaSharp 3 breaks ImageAnalytics: excluded");
            Assert.AreEqual("[1.31.0, 2.0.0)", dependencies["Microsoft.ML.OnnxRuntime.Managed"]);
            var xml = zip.GetEntry("lib/net10.0/Microsoft.ML.HardMining.xml")!;
            using var reader = new StreamReader(xml.Open());
            Assert.Contains("M:Microsoft.ML.HardMining.HardExampleMiner.Mine", reader.ReadToEnd(), "XML docs of the public API");
        }
        using (var symbols = ZipFile.OpenRead(Path.Combine(feed, $"Microsoft.ML.HardMining.{version}.snupkg")))
            Assert.IsTrue(symbols.Entries.Any(e => e.FullName == "lib/net10.0/Microsoft.ML.HardMining.pdb"), "the pdb in the symbols package");

        // A fresh console project outside the repository (no Directory.Build.props), the local feed plus nuget.org.
        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.ML.HardMining" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Microsoft.ML;
            using Microsoft.ML.HardMining;
            using Microsoft.ML.HardMining.Evaluation;

            var ml = new MLContext(seed: 1);
            var random = new Random(7);
            var rows = Enumerable.Range(0, 2000).Select(i =>
            {
                var positive = i % 10 == 0;
                var x = (float)(random.NextDouble() * 2 - 1 + (positive ? 1.2 : 0));
                var y = (float)(random.NextDouble() * 2 - 1 + (positive ? 0.8 : 0));
                return new Row { Label = positive, Features = [x, y] };
            }).ToList();
            var train = ml.Data.LoadFromEnumerable(rows);
            var first = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(train);
            var pipeline = ml.Transforms.HardExampleMining(scorer: first, negatives: MiningBudget.Fraction(0.2), seed: 1)
                .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression());
            var model = pipeline.Fit(train);
            var report = ((HardExampleMiningTransformer)model.First()).Report;
            var curve = BinaryScoreCurve.Create(model.Transform(train));
            Console.WriteLine($"selected {report.Selected} of {report.RowsScanned}; AUPRC {curve.AreaUnderPrecisionRecallCurve:F3}");

            public sealed class Row
            {
                public bool Label { get; set; }

                [Microsoft.ML.Data.VectorType(2)]
                public float[] Features { get; set; } = [];
            }
            """);
        var output = Run(app, "run", "-c", "Release");
        TestContext.WriteLine(output);
        // 200 positives (all) + 20% of 1,800 negatives.
        Assert.Contains("selected 560 of 2000", output);
    }

    private static string Run(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} timed out");
        }
        Assert.AreEqual(0, process.ExitCode, $"dotnet {string.Join(' ', args)} failed:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
