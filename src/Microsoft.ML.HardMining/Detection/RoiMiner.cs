using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Per-image online hard example mining (OHEM) over a candidate view: group = image, NMS by loss,
/// B RoIs per image, negatives per positive, minimum negatives per image.
/// </summary>
/// <remarks>
/// <see cref="Mine"/> routes through the core <see cref="HardExampleMiner"/> (group column = image id, box column,
/// loss column, every class budget open so that only the per-image rules select); <see cref="MineReference"/> is a
/// plain per-image implementation of the same rules, kept beside it so that a test can compare them.
/// </remarks>
public static class RoiMiner
{
    /// <summary>Mines the candidate rows through the core miner.</summary>
    /// <param name="mlContext">The context (its log receives the miner's summary).</param>
    /// <param name="rows">Candidate rows (e.g. <see cref="CandidateSet.Rows"/>).</param>
    /// <param name="options">OHEM options; defaults when null.</param>
    /// <returns>The chosen rows.</returns>
    public static RoiMiningResult Mine(MLContext mlContext, IReadOnlyList<CandidateRow> rows, RoiMiningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new RoiMiningOptions();
        options.Validate();
        var ignored = rows.Count(r => r.GetKind() == RoiLabel.Ignored);
        if (rows.Count == ignored)
            return new RoiMiningResult(rows, [], ignored);

        // Ignored rows get a missing (NaN) label: the core miner skips them and positions stay row indices.
        var view = mlContext.Data.LoadFromEnumerable(rows.Select(r => new MiningRow
        {
            ImageId = r.ImageId,
            Box = r.Box,
            Label = r.GetKind() switch { RoiLabel.Positive => 1f, RoiLabel.Negative => 0f, _ => float.NaN },
            Loss = r.Loss,
        }));
        var core = new HardExampleMiningOptions
        {
            LabelColumnName = nameof(MiningRow.Label),
            Loss = MiningLossKind.Column,
            LossColumnName = nameof(MiningRow.Loss),
            GroupColumnName = nameof(MiningRow.ImageId),
            BoxColumnName = nameof(MiningRow.Box),
            // The float's shortest decimal, not its widening: 0.7f widens to 0.69999998, and the core's IoU in double would
            // then suppress a box at IoU exactly 0.7, which the reference (and the documentation: strictly above) keeps.
            NmsIouThreshold = double.Parse(options.NmsIouThreshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture),
            MaxPerGroup = options.RoisPerImage,
            MinNegativesPerGroup = options.MinNegativesPerImage,
            NegativesPerPositive = options.NegativesPerPositive,
            MaxCandidatesPerGroup = 0,
            Negatives = MiningBudget.All,
            Positives = MiningBudget.All,
            RandomShare = 0,
            AllowSingleClass = true,
        };
        var result = HardExampleMiner.Mine(mlContext, view, core);
        var selected = result.SelectedPositions.Select(p => checked((int)p)).ToArray();
        Array.Sort(selected);
        return new RoiMiningResult(rows, selected, ignored);
    }

    /// <summary>The plain per-image reference of the same rules (O(n²) NMS per image).</summary>
    /// <param name="rows">Candidate rows.</param>
    /// <param name="options">OHEM options; defaults when null.</param>
    /// <returns>The chosen rows.</returns>
    public static RoiMiningResult MineReference(IReadOnlyList<CandidateRow> rows, RoiMiningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new RoiMiningOptions();
        options.Validate();
        var selected = new List<int>();
        var ignored = 0;
        var byImage = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var imageOrder = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].GetKind() == RoiLabel.Ignored)
            {
                ignored++;
                continue;
            }
            if (!byImage.TryGetValue(rows[i].ImageId, out var list))
            {
                byImage[rows[i].ImageId] = list = [];
                imageOrder.Add(rows[i].ImageId);
            }
            list.Add(i);
        }
        foreach (var id in imageOrder)
        {
            var members = byImage[id];
            var boxes = members.Select(i => rows[i].GetBox()).ToArray();
            var losses = members.Select(i => (double)rows[i].Loss).ToArray();
            var kept = Nms.GreedyReference(boxes, losses, options.NmsIouThreshold, options.RoisPerImage == 0 ? int.MaxValue : options.RoisPerImage)
                .Select(k => members[k]).ToList();
            if (options.NegativesPerPositive > 0)
            {
                var positives = kept.Count(i => rows[i].Label);
                var maxNegatives = Math.Max(options.MinNegativesPerImage, (long)Math.Floor(options.NegativesPerPositive * positives));
                long negatives = 0;
                kept = kept.Where(i => rows[i].Label || negatives++ < maxNegatives).ToList();
            }
            selected.AddRange(kept);
        }
        var sorted = selected.ToArray();
        Array.Sort(sorted);
        return new RoiMiningResult(rows, sorted, ignored);
    }

    private sealed class MiningRow
    {
        public string ImageId { get; set; } = string.Empty;

        [VectorType(4)]
        public float[] Box { get; set; } = new float[4];

        public float Label { get; set; }

        public float Loss { get; set; }
    }
}
