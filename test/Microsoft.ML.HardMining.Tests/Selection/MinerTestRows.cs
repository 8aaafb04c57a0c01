using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Selection;

internal sealed class ScoredRow
{
    public bool Label { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }
    public int Image { get; set; }
    [VectorType(4)] public float[] Box { get; set; } = new float[4];
    [VectorType(3)] public float[] Features { get; set; } = new float[3];
}

internal static class MinerTestRows
{
    public static List<ScoredRow> Make(int count, int seed, double positiveShare = 0.2)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var label = random.NextDouble() < positiveShare;
            var score = (float)((label ? 1 : -1) + random.NextDouble() * 4 - 2);
            return new ScoredRow
            {
                Label = label,
                Score = score,
                Probability = (float)(1 / (1 + Math.Exp(-score))),
                Image = i / 20,
                Box = [i % 4 * 10, i % 4 * 5, i % 4 * 10 + 25, i % 4 * 5 + 25],
                Features = [score, (float)random.NextDouble(), i],
            };
        }).ToList();
    }
}
