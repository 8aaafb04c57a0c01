using BenchmarkDotNet.Running;
using Microsoft.ML.HardMining.Benchmarks;

// Quick measured commands (plain Stopwatch loops, seconds not minutes) by name; anything else goes to BenchmarkDotNet.
//   dotnet run -c Release --project test/Microsoft.ML.HardMining.Benchmarks -- onnx [options]
//   dotnet run -c Release --project test/Microsoft.ML.HardMining.Benchmarks -- --filter '*OnnxScoring*'
var quickCommands = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["onnx"] = OnnxScoringQuickMeasure.Run,
    ["miner"] = MinerQuickMeasure.Run,
    ["miner-long"] = MinerLongRunMeasure.Run,
    ["miner-floor"] = MinerFloorMeasure.Run,
    ["detection"] = DetectionBenchmark.Run,
    ["quality"] = QualityBenchmark.Run,
};

if (args.Length > 0 && quickCommands.TryGetValue(args[0], out var command))
    return command(args[1..]);
if (args.Length > 0 && args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine("Quick commands: " + string.Join(", ", quickCommands.Keys) + ". Otherwise BenchmarkDotNet switcher arguments (e.g. --filter '*Onnx*', --list flat).");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(OnnxScoringQuickMeasure).Assembly).Run(args);
return 0;
