using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Microsoft.ML.HardMining.Tests.Notebooks;

/// <summary>
/// Runs a .NET Interactive (Polyglot) C# notebook as a .NET 10 file-based app: the code cells, in order, become one program
/// that references the freshly built library and CLI projects; the output is split back per cell.
/// </summary>
internal static partial class NotebookRunner
{
    private const string CellMarker = "\u001eHARDMINE-NOTEBOOK-CELL ";

    public sealed record Result(int ExitCode, string Program, IReadOnlyDictionary<int, string> CellOutputs, string StandardError);

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HardMining.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("HardMining.sln not found above the test folder.");
        }
    }

    /// <summary>The file-based program for a notebook: directives first, usings hoisted, type cells last, a marker before each cell.</summary>
    public static string Convert(string notebookPath)
    {
        var root = RepoRoot;
        var cells = JsonNode.Parse(File.ReadAllText(notebookPath))!["cells"]!.AsArray();
        var directives = new List<string>
        {
            "#:property PublishAot=false",
            "#:property TreatWarningsAsErrors=true",
            "#:property NoWarn=CS1591",
        };
        var usings = new List<string>();
        var body = new StringBuilder();
        var types = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if ((string?)cells[i]!["cell_type"] != "code") continue;
            var lines = string.Concat(cells[i]!["source"]!.AsArray().Select(l => (string?)l)).Split('\n');
            var code = new StringBuilder();
            foreach (var raw in lines)
            {
                var line = raw.TrimEnd('\r');
                if (line.StartsWith("#i ", StringComparison.Ordinal)) continue;
                if (line.StartsWith("#r ", StringComparison.Ordinal)) { directives.Add(MapReference(line, root)); continue; }
                if (line.StartsWith("#!", StringComparison.Ordinal)) throw new InvalidOperationException($"Cell {i}: magic command '{line}' has no file-based equivalent.");
                if (UsingLine().IsMatch(line)) { usings.Add(line.Trim()); continue; }
                code.AppendLine(line);
            }
            var text = code.ToString().Trim();
            if (text.Length == 0) continue;
            if (TypeCell().IsMatch(text)) { types.AppendLine(text).AppendLine(); continue; }
            body.AppendLine($"Console.Out.Flush(); Console.WriteLine(\"{CellMarker.Replace("\u001e", "\\u001e")}{i}\");");
            body.AppendLine(text).AppendLine();
        }
        return string.Join('\n', directives.Distinct()) + "\n\n" + string.Join('\n', usings.Distinct()) + "\n\n" + body + "Console.Out.Flush();\n\n" + types;
    }

    /// <summary>Runs the notebook and returns each cell's output.</summary>
    public static Result Run(string notebookPath, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var program = Convert(notebookPath);
        var dir = Path.Combine(Path.GetTempPath(), "hardmine-notebooks", Path.GetFileNameWithoutExtension(notebookPath));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, Path.GetFileNameWithoutExtension(notebookPath).Replace('-', '_') + ".cs");
        File.WriteAllText(file, program);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        foreach (var a in new[] { "run", "-c", "Release", file }) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(notebookPath)} ran longer than {timeout}.");
        }
        var outputs = new Dictionary<int, string>();
        int? current = null;
        var buffer = new StringBuilder();
        var preamble = new StringBuilder();
        foreach (var line in stdout.Result.Split('\n'))
        {
            if (line.StartsWith(CellMarker, StringComparison.Ordinal))
            {
                if (current is int c) outputs[c] = buffer.ToString();
                current = int.Parse(line[CellMarker.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                buffer.Clear();
                continue;
            }
            (current is null ? preamble : buffer).Append(line).Append('\n');
        }
        if (current is int last) outputs[last] = buffer.ToString().TrimEnd('\n') + (buffer.Length > 0 ? "\n" : "");
        return new Result(process.ExitCode, program, outputs, preamble + stderr.Result);
    }

    /// <summary>Writes each cell's output into the notebook as a stdout stream, with execution counts in order.</summary>
    public static void SaveOutputs(string notebookPath, Result result)
    {
        var doc = JsonNode.Parse(File.ReadAllText(notebookPath))!;
        var cells = doc["cells"]!.AsArray();
        var count = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!;
            if ((string?)cell["cell_type"] != "code") continue;
            cell["execution_count"] = ++count;
            var outputs = new JsonArray();
            if (result.CellOutputs.TryGetValue(i, out var text) && text.Trim().Length > 0)
            {
                var lines = text.TrimEnd('\n').Split('\n');
                var array = new JsonArray();
                for (var k = 0; k < lines.Length; k++) array.Add(k < lines.Length - 1 ? lines[k] + "\n" : lines[k]);
                outputs.Add(new JsonObject { ["name"] = "stdout", ["output_type"] = "stream", ["text"] = array });
            }
            cell["outputs"] = outputs;
        }
        var temp = notebookPath + ".tmp";
        File.WriteAllText(temp, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        File.Move(temp, notebookPath, overwrite: true);
    }

    private static string MapReference(string line, string root)
    {
        var m = NugetReference().Match(line);
        if (m.Success)
        {
            var id = m.Groups["id"].Value;
            return id == "Microsoft.ML.HardMining"
                ? $"#:project {Path.Combine(root, "src", "Microsoft.ML.HardMining", "Microsoft.ML.HardMining.csproj")}"
                : $"#:package {id}@{m.Groups["version"].Value}";
        }
        if (line.Contains("hardmine.dll", StringComparison.Ordinal))
            return $"#:project {Path.Combine(root, "src", "Microsoft.ML.HardMining.Cli", "Microsoft.ML.HardMining.Cli.csproj")}";
        throw new InvalidOperationException($"Reference '{line}' has no file-based equivalent.");
    }

    [GeneratedRegex("^#r \"nuget:\\s*(?<id>[A-Za-z0-9_.]+)\\s*,\\s*(?<version>[0-9A-Za-z.\\-]+)\"")]
    private static partial Regex NugetReference();

    [GeneratedRegex("^using [A-Za-z0-9_.= ]+;\\s*$")]
    private static partial Regex UsingLine();

    [GeneratedRegex("^(public |internal )?(sealed |static )?(partial )?(class|record|struct) ")]
    private static partial Regex TypeCell();
}
