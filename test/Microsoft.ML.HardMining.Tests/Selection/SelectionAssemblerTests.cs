namespace Microsoft.ML.HardMining.Tests.Selection;

/// <summary>
/// The assembly's shortcut for pools kept apart (<see cref="ClassPools.EasyByRandomKey"/>: no sets) against its general path,
/// on the same candidates: the general path is what the reference selector takes.
/// </summary>
[TestClass]
public sealed class SelectionAssemblerTests
{
    [TestMethod]
    [DataRow(2_000, 150, 40, 0.0, 1)]
    [DataRow(20_000, 900, 100, 0.0, 2)]
    [DataRow(20_000, 900, 100, 3.0, 3)] // the negatives' budget shrinks below their loss pool: the general path
    [DataRow(5_000, 4_000, 900, 0.0, 4)] // budgets larger than the easy rows can fill
    [DataRow(3_000, 200, 0, 0.0, 5)] // no positives budget
    public void ApartPoolsGiveTheGeneralPathsSelection(int rows, int negatives, int positives, double negativesPerPositive, int seed)
    {
        var options = new HardExampleMiningOptions
        {
            Negatives = MiningBudget.Count(negatives),
            Positives = MiningBudget.Count(positives),
            RandomShare = 0.3,
            NegativesPerPositive = negativesPerPositive,
        };
        var candidates = Candidates(rows, seed);
        var plan = new SelectionPlan(options, 2, true, [rows, rows]);

        var apart = SelectionAssembler.Assemble(plan, Pools(plan, candidates, keepApart: true), new GroupStage.Counters(), null);
        var general = SelectionAssembler.Assemble(plan, Pools(plan, candidates, keepApart: false), new GroupStage.Counters(), null);

        CollectionAssert.AreEqual(general.Positions, apart.Positions, "positions");
        CollectionAssert.AreEqual(general.Kinds, apart.Kinds, "kinds");
        CollectionAssert.AreEqual(general.Weights, apart.Weights, "weights");
        CollectionAssert.AreEqual(general.RowIds, apart.RowIds, "row ids");
        CollectionAssert.AreEqual(general.Classes.Select(Counts).ToList(), apart.Classes.Select(Counts).ToList(), "class reports");
        Assert.IsTrue(apart.Kinds.Contains(SelectedRowKind.Random) && apart.Kinds.Contains(SelectedRowKind.Hard), "both kinds are drawn");
    }

    private static string Counts(ClassReport r) => $"{r.ClassIndex}: {r.Rows} rows, {r.SelectedHard} hard, {r.SelectedRandom} random, {r.LeftOutAsNoise} noise, budget {r.Budget}";

    // Random hardness and keys with ties in hardness; ~15% positives.
    private static List<MiningCandidate> Candidates(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i => new MiningCandidate
        {
            Position = i,
            Hardness = Math.Round(random.NextDouble() * 4, 2),
            RandomKey = random.NextDouble(),
            ClassIndex = random.NextDouble() < 0.15 ? 1 : 0,
            GroupIndex = -1,
            RowId = new Microsoft.ML.Data.DataViewRowId((ulong)i, (ulong)seed),
        }).ToList();
    }

    // What the streaming selector holds at the end: the loss buffer's hardest rows (as many as its room), and the random
    // share's buffer of the other rows by key (as many as its room). Kept apart, the assembly is told the random rows are
    // only the others; otherwise it gets every candidate of both buffers ranked by key, as the reference gives it.
    private static ClassPools[] Pools(SelectionPlan plan, List<MiningCandidate> candidates, bool keepApart)
    {
        var pools = new ClassPools[2];
        for (var c = 0; c < 2; c++)
        {
            var ofClass = candidates.Where(x => x.ClassIndex == c).ToList();
            CandidateOrder.Sort<ByLoss>(ofClass);
            var lossPool = ofClass.Take((int)plan.HardCapacity(c)).ToList();
            var others = ofClass.Skip(lossPool.Count).ToList();
            CandidateOrder.Sort<ByRandomKey>(others);
            var easy = others.Take((int)plan.RandomCapacity(c)).ToList();
            var all = lossPool.Concat(easy).ToList();
            CandidateOrder.Sort<ByRandomKey>(all);
            pools[c] = new ClassPools
            {
                ByLoss = lossPool,
                ByRandomKey = all,
                EasyByRandomKey = keepApart ? easy : null,
                ValidRows = ofClass.Count,
                AboveMaxLoss = 0,
            };
        }
        return pools;
    }
}
