using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

public static partial class HardExampleMiner
{
    /// <summary>
    /// The fast path of <see cref="ScanEveryRow"/> for the common case — a Boolean label and a Single raw score (or a Single
    /// probability of the positive class, or a Single precomputed loss), top-k, no groups, no maximum loss — with the same
    /// result. Null when the case does not apply.
    /// </summary>
    /// <remarks>
    /// Most rows of a large view can enter no heap. Instead of building a candidate and asking the selector, the loop compares
    /// the row's hardness with the loss heap's entry bar, held in a local, and counts classes in locals. For the random share it
    /// does not even hash the row: keys are drawn block by block (<see cref="RandomShareKeys"/>), one hash per block rules out
    /// the blocks whose smallest key cannot enter, and only rows in the other blocks hash their own key. That is done ahead of the
    /// loop, up to 64 blocks at a time: the rows with rare work (a row whose key may enter, a histogram sample) are known by
    /// position in advance, so the loop compares its position with one number instead of testing block starts and key bits
    /// row by row (1.28x → 1.17x of a bare pass over ML.NET's cache keeping 100 of 10M rows). Rows that pass a bar go
    /// to the selector, which decides exactly as <see cref="HardExampleSelector.Admit"/> does. Bars only ever tighten, so a bar
    /// refreshed late lets a few more rows through to the exact test, never fewer.
    /// </remarks>
    private static ScanResult? ScanWithGates(IDataView scored, LossReader reader, HardExampleMiningOptions options, SelectionPlan plan, int pass, int passCount)
    {
        if (!GatesApply(reader, plan)) return null;
        var selector = new HardExampleSelector(plan);

        var result = new ScanResult(selector);
        var total = Stopwatch.StartNew();
        double selectTicks;
        using (var cursor = scored.GetRowCursor(reader.NeededColumns))
        {
            var throwOnInvalid = options.InvalidScores == InvalidScorePolicy.Throw;
            (result.Rows, result.InvalidScores, selectTicks) = reader.BooleanLabelSingleScore is { } scores
                ? ScanRowsWithGates(cursor, scores, new RowGates<RawScore>(selector, options.Seed, throwOnInvalid, reader, cursor.GetIdGetter(),
                    options.Progress, pass, passCount, scored.GetRowCount()))
                : ScanOtherValuesWithGates(cursor, reader, selector, options, throwOnInvalid, pass, passCount, scored.GetRowCount());
        }
        total.Stop();
        options.Progress?.Report(new MiningProgress(pass, passCount, result.Rows, scored.GetRowCount()));
        result.SelectTime = TimeSpan.FromSeconds(Math.Min(selectTicks / Stopwatch.Frequency, total.Elapsed.TotalSeconds));
        result.ReadTime = total.Elapsed - result.SelectTime;
        return result;
    }

    // The probability and loss loops, apart: instantiated in ScanWithGates itself, they changed how the JIT compiled the
    // score's loop there, which read 1.34x → 1.38–1.39x of a bare pass over the generated view at 10M rows keeping 10,000.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Rows, long Invalid, double SelectTicks) ScanOtherValuesWithGates(DataViewRowCursor cursor, LossReader reader,
        HardExampleSelector selector, HardExampleMiningOptions options, bool throwOnInvalid, int pass, int passCount, long? totalRows) =>
        reader.BooleanLabelSingleProbability is { } probabilities
            ? ScanRowsWithGates(cursor, probabilities, new RowGates<PositiveProbability>(selector, options.Seed, throwOnInvalid, reader,
                cursor.GetIdGetter(), options.Progress, pass, passCount, totalRows))
            : ScanRowsWithGates(cursor, reader.BooleanLabelSingleLoss!.Value, new RowGates<PrecomputedLoss>(selector, options.Seed,
                throwOnInvalid, reader, cursor.GetIdGetter(), options.Progress, pass, passCount, totalRows));

    /// <summary>Whether <see cref="ScanWithGates"/> handles these columns and options (tests check that it is really taken).</summary>
    internal static bool GatesApply(LossReader reader, SelectionPlan plan) =>
        (reader.BooleanLabelSingleScore is not null || reader.BooleanLabelSingleProbability is not null || reader.BooleanLabelSingleLoss is not null)
        && plan.Options.Mode == SelectionMode.TopK && !plan.NeedsEveryLoss && !plan.Grouped;

    // The loop lives apart from the cursor's using block (locals live across a try/finally are written to memory at every
    // change) and makes no call but the getters' on the common path: everything rare is in RowGates. Nothing but the gates
    // is used after the loop: a value that is, even one the loop never reads, holds one of the few registers that survive
    // the loop's calls.
    private static (long Rows, long Invalid, double SelectTicks) ScanRowsWithGates<TValue>(DataViewRowCursor cursor,
        (DataViewSchema.Column Label, DataViewSchema.Column Score) columns, RowGates<TValue> gates) where TValue : struct, IGatedValue
    {
        var labelOf = cursor.GetGetter<bool>(columns.Label);
        var scoreOf = cursor.GetGetter<float>(columns.Score);
        var tests = new RowTests { Negative = gates.NegativeAbove, Positive = gates.PositiveAbove, NextRare = 0 };
        long position = -1, positives = 0;
        bool label = false;
        float score = 0;
        while (cursor.MoveNext())
        {
            position++;
            labelOf(ref label);
            scoreOf(ref score);
            // No branch on the label: a row's signed value is its score (or probability) with the sign flipped for a
            // positive, or its loss as it is, tested against its class's bar, and positives are counted by adding the label.
            // With ~10% positives in random order, a branch on the label mispredicted often enough to cost ~2.5 ns a row over
            // ML.NET's cache once its getters are inlined (1.5x the bare pass, 1.25x without the branch). It only looked free
            // over a source whose own getter branched on the same label first, which trained the predictor for it
            // (docs/benchmarks.md, session 5).
            var labelBit = label ? 1 : 0;
            positives += labelBit;
            // The score's bits are read once: the getter writes the score to memory, and each use would read it back.
            var scoreBits = BitConverter.SingleToInt32Bits(score);
            var signed = BitConverter.Int32BitsToSingle(TValue.SignedByLabel ? scoreBits ^ (labelBit << 31) : scoreBits);
            // A value that may be invalid (a score's or loss's exponent bits all set: ±∞ or NaN; a probability outside
            // [0, 1]) goes to the gates too, which count it (or throw). The rare rows (histogram samples, rows whose random
            // key may enter a random share) are known in advance by position: one comparison for all of them.
            if (signed > Unsafe.Add(ref tests.Negative, labelBit) || TValue.MayBeInvalid(scoreBits) || position == tests.NextRare)
                gates.Visit(position, label, score, ref tests);
        }
        gates.EndOfRows(position + 1, positives);
        return (gates.Rows, gates.Invalid, gates.SelectTicks);
    }

    /// <summary>
    /// What the loop tests each row against: the loss heaps' entry bars on the signed value, side by side so that the label
    /// indexes them (negatives first), and the next row with rare work. In memory, not in the loop's registers: the loop keeps only the
    /// cursor, the getters, the gates and its counters there, so that the row position is not spilled around its calls.
    /// </summary>
    private struct RowTests
    {
        public float Negative, Positive;
        /// <summary>The next position at which <see cref="RowGates{TValue}.Visit"/> has rare work: a histogram sample or
        /// progress report, a row whose random key may pass its class's random-share bar, or a block the look-ahead has not
        /// reached.</summary>
        public long NextRare;
    }

    /// <summary>The entry bars of the selector's heaps as plain numbers, and everything the scan loop does rarely.</summary>
    private sealed class RowGates<TValue>(HardExampleSelector selector, int seed, bool throwOnInvalid, LossReader reader, ValueGetter<DataViewRowId> id,
        IProgress<MiningProgress>? progress, int pass, int passCount, long? totalRows) where TValue : struct, IGatedValue
    {
        /// <summary>The most blocks one look ahead hashes. When none of them holds a row whose key may pass, the loop stops
        /// at the first row after them, and the next look starts there.</summary>
        private const int LookAheadBlocks = 64;

        // The random share's keys, hashed a block at a time.
        private readonly RandomShareKeys _keys = new(seed);

        // Rows at multiples of this mask + 1 go to Sample: a histogram sample, a progress report. It grows with the
        // histograms' stride on a view without a row count.
        private long _sampleMask = SampleMask(selector);

        // The next position to sample, and the next whose random key may pass (or where the look ahead goes on).
        private long _nextSample, _nextKeyRow;

        // Hardness above which a row may enter its class's loss heap, and key below which it may enter the random share.
        private double _negativeGate = selector.HardnessGate(0), _positiveGate = selector.HardnessGate(1);
        private double _negativeKeyGate = selector.RandomKeyGate(0), _positiveKeyGate = selector.RandomKeyGate(1);

        // The block bar as a bar on the block uniform's bits: the look ahead compares integers.
        private long _blockBarBits = BlockBarFor(selector.RandomKeyGate(0), selector.RandomKeyGate(1));

        // The last block whose smallest key could pass a bar, that key, its position, and which of its rows' keys may pass
        // (bit i: the negatives' bar for row i; bit 16 + i: the positives'). Any other block is closed, or had no such row
        // left when the look ahead went past it: neither random share has room for any of its keys that are left.
        private long _openBlock = -1;
        private double _blockMinimum;
        private long _blockArgMinimum;
        private uint _keyBits;

        private long _offers, _timedOffers, _timedTicks;

        public long Invalid;
        public long InvalidPositives;

        /// <summary>The rows scanned, set by <see cref="EndOfRows"/>.</summary>
        public long Rows { get; private set; }

        /// <summary>The scan is over: counts each class's valid rows and ends the histograms' sampling.</summary>
        public void EndOfRows(long rows, long positives)
        {
            Rows = rows;
            selector.EndOfRows(rows);
            selector.CountRows(1, positives - InvalidPositives);
            selector.CountRows(0, rows - positives - (Invalid - InvalidPositives));
        }

        public double SelectTicks => _timedOffers == 0 ? 0 : _timedTicks * (double)_offers / _timedOffers;

        // The bars on the signed value (a positive's negated, but for a loss): a row may pass only when its signed value is
        // above its class's.
        public float NegativeAbove => TValue.SignedBar(_negativeGate, positive: false);
        public float PositiveAbove => TValue.SignedBar(_positiveGate, positive: true);

        /// <summary>The loop's sample mask: rows at its multiples are histogram samples or progress reports.</summary>
        private static long SampleMask(HardExampleSelector selector) => Math.Min(selector.SampleMask + 1, ProgressEvery) - 1;

        /// <summary>
        /// A row that passes its class's bar, has an invalid score, or is at <see cref="RowTests.NextRare"/>: samples it,
        /// offers it to the selector when it may enter a heap, and sets the loop's tests anew.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void Visit(long position, bool label, float score, ref RowTests tests)
        {
            var signed = TValue.SignedByLabel && label ? -score : score;
            var judge = signed > (label ? PositiveAbove : NegativeAbove) || TValue.MayBeInvalid(BitConverter.SingleToInt32Bits(score));
            var keyRow = false;
            if (position == tests.NextRare)
            {
                if (position == _nextSample)
                {
                    Sample(position, label, score);
                    _nextSample = (position | _sampleMask) + 1;
                }
                if (position == _nextKeyRow)
                {
                    // Where the last look ahead stopped: look on from this row.
                    if (position >> RandomShareKeys.BlockShift != _openBlock) _nextKeyRow = NextKeyRow(position);
                    keyRow = position == _nextKeyRow;
                    judge |= keyRow && ((_keyBits >> ((int)(position & RandomShareKeys.BlockMask) + (label ? 16 : 0))) & 1) != 0;
                }
            }
            // Judge before the look ahead moves on: the row's key comes from its block, the open one until then.
            if (judge) Judge(position, label, score);
            if (keyRow) _nextKeyRow = NextKeyRow(position + 1);
            tests.NextRare = Math.Min(_nextSample, _nextKeyRow);
            (tests.Negative, tests.Positive) = (NegativeAbove, PositiveAbove);
        }

        // At a position that is a multiple of the histogram stride or of the progress interval; updates the sample mask (the
        // stride may have grown).
        private void Sample(long position, bool label, float score)
        {
            if (selector.TakesSample(position) && TValue.IsValid(score))
                selector.SampleHardness(position, label ? 1 : 0, TValue.Hardness(label, score));
            if (progress is not null && position > 0 && (position & (ProgressEvery - 1)) == 0)
                progress.Report(new MiningProgress(pass, passCount, position, totalRows));
            _sampleMask = SampleMask(selector);
        }

        /// <summary>
        /// The first position from <paramref name="from"/> on whose random key may pass its class's random-share bar, or the
        /// first row of a block the look has not reached (after <see cref="LookAheadBlocks"/> blocks). One hash per block rules
        /// out the blocks whose smallest key cannot pass; only the others hash their rows (<see cref="OpenBlock"/>).
        /// </summary>
        /// <remarks>The bars only tighten, so a block ruled out stays out, and a row let through by an older bar is judged
        /// exactly.</remarks>
        private long NextKeyRow(long from)
        {
            // Keys are positive: a bar of 0 (no random share) or below lets no row through, now or later.
            if (_negativeKeyGate <= 0 && _positiveKeyGate <= 0) return long.MaxValue;
            var block = from >> RandomShareKeys.BlockShift;
            if (block == _openBlock)
            {
                var rowsLeft = ((_keyBits | _keyBits >> 16) & 0xFFFF) >> (int)(from & RandomShareKeys.BlockMask);
                if (rowsLeft != 0) return from + BitOperations.TrailingZeroCount(rowsLeft);
                block++;
            }
            for (var end = block + LookAheadBlocks; block < end; block++)
            {
                var blockHash = _keys.BlockHash(block);
                if (RandomShareKeys.BlockUniformBits(blockHash) <= _blockBarBits) continue;
                var rows = OpenBlock(block << RandomShareKeys.BlockShift, blockHash);
                if (rows != 0) return (block << RandomShareKeys.BlockShift) + BitOperations.TrailingZeroCount(rows);
            }
            return block << RandomShareKeys.BlockShift;
        }

        // A block whose uniform's bits are not above this holds no key that may enter either class's random share. Two
        // exponentials: Judge recomputes it only when a random share's bar really moved.
        private static long BlockBarFor(double negativeKeyGate, double positiveKeyGate) => RandomShareKeys.UniformBitsBelow(
            Math.Min(RandomShareKeys.BlockMayHoldKeyBelow(negativeKeyGate), RandomShareKeys.BlockMayHoldKeyBelow(positiveKeyGate)));

        /// <summary>
        /// Opens a block whose smallest key may pass a bar: sets its key bits, and returns bit i set when the random key of the
        /// block's row i may pass its class's bar. Until the next call, the block is the open one (<see cref="RandomKey"/> uses it).
        /// </summary>
        private uint OpenBlock(long position, ulong blockHash)
        {
            _openBlock = position >> RandomShareKeys.BlockShift;
            _blockMinimum = RandomShareKeys.BlockMinimum(blockHash);
            _blockArgMinimum = position + RandomShareKeys.ArgMinimumOffset(blockHash);
            // The rows' uniforms are compared as their integer bits: no conversion to a double per row.
            var negativeBar = RandomShareKeys.UniformBitsBelow(RandomShareKeys.RowMayHaveKeyBelow(_blockMinimum, _negativeKeyGate));
            var positiveBar = RandomShareKeys.UniformBitsBelow(RandomShareKeys.RowMayHaveKeyBelow(_blockMinimum, _positiveKeyGate));
            uint negatives = 0, positives = 0;
            for (var i = 0; i < RandomShareKeys.BlockSize; i++)
            {
                var uniform = _keys.RowUniformBits(position + i);
                if (uniform > negativeBar) negatives |= 1u << i;
                if (uniform > positiveBar) positives |= 1u << i;
            }
            // The minimum's own row has the block's minimum as its key, not a key from its own uniform.
            var offset = (int)(_blockArgMinimum - position);
            negatives = (negatives & ~(1u << offset)) | (_blockMinimum < _negativeKeyGate ? 1u << offset : 0);
            positives = (positives & ~(1u << offset)) | (_blockMinimum < _positiveKeyGate ? 1u << offset : 0);
            _keyBits = negatives | positives << 16;
            return negatives | positives;
        }

        /// <summary>A row that may pass a bar, or has an invalid score: the selector decides exactly.</summary>
        private void Judge(long position, bool label, float score)
        {
            if (!TValue.IsValid(score))
            {
                if (throwOnInvalid) throw InvalidScore(position, reader);
                Invalid++;
                if (label) InvalidPositives++;
                return;
            }

            // Timing every offer would cost as much as the offers themselves; every 64th gives the split. Not the first: it
            // would add the time to compile the selector's methods, scaled by 64.
            var timed = (_offers++ & 63) == 63;
            var begin = timed ? Stopwatch.GetTimestamp() : 0;
            var classIndex = label ? 1 : 0;
            var candidate = new MiningCandidate
            {
                Position = position,
                Hardness = TValue.Hardness(label, score),
                ClassIndex = classIndex,
                GroupIndex = -1,
                RandomKey = RandomKey(position, classIndex),
            };
            // Nearly every row that passes a gate is kept: store it at once (the buffers check it again) rather than ask first.
            id(ref candidate.RowId);
            selector.StoreUngrouped(candidate);
            // The block bar costs two exponentials: recomputed only when a random share's bar really moved (rarely: a
            // buffer's bar moves when it is full), not after every stored row.
            var keyGate = selector.RandomKeyGate(classIndex);
            var keyGateMoved = keyGate != (label ? _positiveKeyGate : _negativeKeyGate);
            if (label) (_positiveGate, _positiveKeyGate) = (selector.HardnessGate(1), keyGate);
            else (_negativeGate, _negativeKeyGate) = (selector.HardnessGate(0), keyGate);
            if (keyGateMoved) _blockBarBits = BlockBarFor(_negativeKeyGate, _positiveKeyGate);
            if (timed)
            {
                _timedTicks += Math.Max(0, Stopwatch.GetTimestamp() - begin - ClockReadTicks);
                _timedOffers++;
            }
        }

        // The exact key, as RandomShareKeys.Key computes it, from the block already hashed. In a closed block both random
        // shares are full and no key can enter, so +∞ stands in for it (the heap turns it away just the same).
        private double RandomKey(long position, int classIndex)
        {
            if (!selector.HasRandomShare(classIndex)) return 0;
            if (position >> RandomShareKeys.BlockShift != _openBlock) return double.PositiveInfinity;
            return _keys.KeyInBlock(position, _blockMinimum, _blockArgMinimum);
        }
    }
}
