using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>
/// Reads up to a batch of rows from the source cursor, runs the model once on them, then serves them one by one.
/// Pass-through columns are copied per row while the batch is read (see <see cref="RowValueCache"/>).
/// </summary>
internal sealed class OnnxBatchCursor : DataViewRowCursor
{
    private readonly OnnxScoredDataView _view;
    private readonly DataViewRowCursor _source;
    private readonly bool[] _active;
    private readonly OnnxOutputPlan _outputs;
    private readonly int _capacity;
    private readonly bool _fixedBatch;
    private readonly BatchSlot _slot = new();

    private readonly InputFeed[] _feeds;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RowValueCache?[] _caches;
    private readonly ValueGetter<DataViewRowId> _sourceId;
    private readonly DataViewRowId[] _ids;
    private readonly long[] _sourcePositions;
    private readonly long[] _batches;

    private readonly float[] _raw;
    private readonly float[]? _rawProbability;
    private readonly float[] _score;
    private readonly float[]? _probability;
    private readonly RunOptions _runOptions = new();

    private OrtValue[]? _fullBatchInputs;
    private OrtValue[]? _fullBatchOutputs;
    private int _count;
    private long _position = -1;
    private bool _done;

    public OnnxBatchCursor(OnnxScoredDataView view, DataViewRowCursor source, bool[] active)
    {
        _view = view;
        _source = source;
        _active = active;
        _outputs = view.Scorer.Outputs;
        _fixedBatch = view.Scorer.Inputs.FixedBatch is not null;
        _capacity = view.Scorer.BatchSize;
        // A dynamic batch axis takes any row count: buffers for more rows than the view holds would only be allocated.
        if (!_fixedBatch && view.Source.GetRowCount() is long rows && rows < _capacity)
            _capacity = (int)Math.Max(1, rows);

        _feeds = view.Bindings.Select(b => new InputFeed(b, source, _capacity)).ToArray();
        _inputNames = view.Bindings.Select(b => b.InputName).ToArray();
        _outputNames = _outputs.OutputNames;
        _caches = new RowValueCache?[view.SourceColumnCount];
        for (int i = 0; i < view.SourceColumnCount; i++)
        {
            if (active[i])
                _caches[i] = RowValueCache.Create(source, view.Source.Schema[i], _capacity, _slot);
        }
        _sourceId = source.GetIdGetter();
        _ids = new DataViewRowId[_capacity];
        _sourcePositions = new long[_capacity];
        _batches = new long[_capacity];

        int k = _outputs.ValuesPerRow;
        _raw = new float[_capacity * k];
        _score = new float[_capacity * k];
        if (_outputs.ProbabilityOutput is not null)
            _rawProbability = new float[_capacity];
        if (_outputs.HasProbabilityColumn)
            _probability = new float[_capacity];
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => _slot.Current >= 0 ? _batches[_slot.Current] : 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

    public override ValueGetter<DataViewRowId> GetIdGetter()
        => (ref DataViewRowId id) => id = _ids[CurrentSlot()];

    public override bool MoveNext()
    {
        if (_done)
            return false;
        if (_slot.Current + 1 < _count)
        {
            _slot.Current++;
            _position++;
            return true;
        }

        if (!ReadAndScoreBatch())
        {
            _done = true;
            _slot.Current = -1;
            _position = -1;
            return false;
        }
        _slot.Current = 0;
        _position++;
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        if (typeof(TValue) != column.Type.RawType)
            throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; a getter of {typeof(TValue).Name} was asked for.");
        if (column.Index < _view.SourceColumnCount)
            return (ValueGetter<TValue>)_caches[column.Index]!.Getter;

        int k = _outputs.ValuesPerRow;
        var name = column.Name;
        Delegate getter;
        if (name == _outputs.ScoreColumnName)
        {
            getter = _outputs.IsVector
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => CopyVector(_score, CurrentSlot() * k, k, ref v))
                : (ValueGetter<float>)((ref float v) => v = _score[CurrentSlot()]);
        }
        else if (name == _outputs.ProbabilityColumnName && _probability is not null)
        {
            getter = (ValueGetter<float>)((ref float v) => v = _probability[CurrentSlot()]);
        }
        else
        {
            getter = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => CopyVector(_raw, CurrentSlot() * k, k, ref v));
        }
        return (ValueGetter<TValue>)getter;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source.Dispose();
            DisposeAll(_fullBatchInputs);
            DisposeAll(_fullBatchOutputs);
            _runOptions.Dispose();
        }
        base.Dispose(disposing);
    }

    private int CurrentSlot()
    {
        if (_slot.Current < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first (and only read while it returns true).");
        return _slot.Current;
    }

    private static void CopyVector(float[] source, int offset, int length, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, length);
        source.AsSpan(offset, length).CopyTo(editor.Values);
        value = editor.Commit();
    }

    private bool ReadAndScoreBatch()
    {
        _count = 0;
        while (_count < _capacity && _source.MoveNext())
        {
            int slot = _count;
            foreach (var feed in _feeds)
                feed.Read(slot);
            foreach (var cache in _caches)
                cache?.Capture(slot);
            _sourceId(ref _ids[slot]);
            _sourcePositions[slot] = _source.Position;
            _batches[slot] = _source.Batch;
            _count++;
        }
        if (_count == 0)
            return false;
        Run();
        PostProcess();
        return true;
    }

    private void Run()
    {
        int rows = _fixedBatch ? _capacity : _count;
        var session = _view.Scorer.Session;
        foreach (var feed in _feeds)
            feed.ClearPadding(rows, _count);
        if (rows == _capacity)
        {
            // Full batches reuse tensors pinned over the cursor's own buffers: no allocation, no copy of the outputs.
            _fullBatchInputs ??= _feeds.Select(f => f.CreateTensor(rows)).ToArray();
            _fullBatchOutputs ??= CreateOutputTensors(rows);
            RunSession(session, _fullBatchInputs, _fullBatchOutputs);
            return;
        }

        var inputs = new OrtValue[_feeds.Length];
        OrtValue[]? outputs = null;
        try
        {
            for (int i = 0; i < _feeds.Length; i++)
                inputs[i] = _feeds[i].CreateTensor(rows);
            outputs = CreateOutputTensors(rows);
            RunSession(session, inputs, outputs);
        }
        finally
        {
            DisposeAll(inputs);
            DisposeAll(outputs);
        }
    }

    private OrtValue[] CreateOutputTensors(int rows)
    {
        var score = CreateOutputTensor(_outputs.ScoreOutput, rows, _raw);
        if (_rawProbability is null)
            return [score];
        return [score, CreateOutputTensor(_outputs.ProbabilityOutput!, rows, _rawProbability)];
    }

    private static OrtValue CreateOutputTensor(OnnxTensorInfo output, int rows, float[] destination)
    {
        var shape = output.Dimensions.Select(d => (long)d).ToArray();
        shape[0] = rows;
        long perRow = 1;
        for (int d = 1; d < shape.Length; d++)
            perRow *= shape[d];
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, destination.AsMemory(0, (int)(rows * perRow)), shape);
    }

    private static void DisposeAll(OrtValue[]? values)
    {
        if (values is null)
            return;
        foreach (var value in values)
            value?.Dispose();
    }

    private void RunSession(InferenceSession session, OrtValue[] inputs, OrtValue[] outputs)
    {
        try
        {
            session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX Runtime failed to run model '{_view.Scorer.Model.ModelFileName}' on the batch of rows at positions {_sourcePositions[0]}..{_sourcePositions[_count - 1]}: {e.Message} " +
                $"Check those rows' input values (NaN or out-of-range features) and that output shapes are {_outputs.ScoreOutput.ShapeText} as the model declares."), e);
        }
    }

    private void PostProcess()
    {
        int k = _outputs.ValuesPerRow;
        var scoreName = _outputs.ScoreOutput.Name;
        for (int r = 0; r < _count; r++)
        {
            var raw = _raw.AsSpan(r * k, k);
            for (int j = 0; j < k; j++)
            {
                if (float.IsNaN(raw[j]))
                    throw NaNError(scoreName, r, j);
            }
            var score = _score.AsSpan(r * k, k);
            switch (_outputs.Kind)
            {
                case OnnxOutputKind.Logits when k == 1:
                    score[0] = raw[0];
                    break;
                case OnnxOutputKind.Logits:
                    // An infinite logit leaves the softmax undefined (∞ − ∞): the row is as unusable as one with a NaN.
                    for (int j = 0; j < k; j++)
                    {
                        if (float.IsInfinity(raw[j]))
                            throw NaNError(scoreName, r, j, infinite: true);
                    }
                    OnnxOutputMath.Softmax(raw, score);
                    break;
                case OnnxOutputKind.Probabilities:
                    CheckProbabilities(scoreName, raw, r);
                    if (k == 1)
                        score[0] = OnnxOutputMath.Logit(raw[0]);
                    else
                        raw.CopyTo(score);
                    break;
                default:
                    raw.CopyTo(score);
                    break;
            }

            if (_probability is null)
                continue;
            if (_rawProbability is not null)
            {
                var p = _rawProbability[r];
                if (float.IsNaN(p))
                    throw NaNError(_outputs.ProbabilityOutput!.Name, r, 0);
                CheckProbabilities(_outputs.ProbabilityOutput!.Name, _rawProbability.AsSpan(r, 1), r);
                _probability[r] = p;
            }
            else if (k == 1)
            {
                _probability[r] = _outputs.Kind == OnnxOutputKind.Probabilities ? raw[0] : OnnxOutputMath.Sigmoid(raw[0]);
            }
            else
            {
                _probability[r] = score[_outputs.PositiveClassIndex!.Value];
            }
        }
    }

    private void CheckProbabilities(string outputName, ReadOnlySpan<float> values, int slot)
    {
        const float tolerance = 1e-5f;
        for (int j = 0; j < values.Length; j++)
        {
            if (values[j] < -tolerance || values[j] > 1 + tolerance)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Model '{_view.Scorer.Model.ModelFileName}' output '{outputName}' was read as probabilities but holds {values[j]} (value {j}) at row position {_sourcePositions[slot]}: " +
                    $"it holds neither probabilities nor, as configured, scores. Set {nameof(OnnxScoringOptions.OutputKind)} = {nameof(OnnxOutputKind.Logits)} (sigmoid/softmax applied) or {nameof(OnnxOutputKind.RawScore)}."));
        }
    }

    private InvalidOperationException NaNError(string outputName, int slot, int valueIndex, bool infinite = false)
        => new(string.Create(CultureInfo.InvariantCulture,
            $"Model '{_view.Scorer.Model.ModelFileName}' output '{outputName}' is {(infinite ? "infinite, which leaves the softmax over its logits undefined," : "NaN")} (value {valueIndex}) at row position {_sourcePositions[slot]} of the scored data. " +
            $"Check that row's input values (NaN or infinite features) and the model."));

    /// <summary>Copies one input column into the batch tensor of one model input.</summary>
    private sealed class InputFeed
    {
        private readonly OnnxInputBinding _binding;
        private readonly float[] _buffer;
        private readonly ValueGetter<float>? _scalar;
        private readonly ValueGetter<VBuffer<float>>? _vector;
        private readonly float[]? _transposeScratch;
        private readonly long[] _shape;
        private VBuffer<float> _value;

        public InputFeed(OnnxInputBinding binding, DataViewRowCursor source, int capacity)
        {
            _binding = binding;
            _buffer = new float[capacity * binding.RowSize];
            var column = source.Schema[binding.ColumnIndex];
            if (column.Type is VectorDataViewType)
                _vector = source.GetGetter<VBuffer<float>>(column);
            else
                _scalar = source.GetGetter<float>(column);
            if (binding.TransposeMap is not null)
                _transposeScratch = new float[binding.RowSize];
            _shape = new long[binding.RowDims.Length + 1];
            binding.RowDims.CopyTo(_shape, 1);
        }

        public void Read(int slot)
        {
            int size = _binding.RowSize;
            var destination = _buffer.AsSpan(slot * size, size);
            if (_scalar is not null)
            {
                _scalar(ref destination[0]);
                return;
            }
            _vector!(ref _value);
            if (_value.Length != size)
                throw new InvalidOperationException(
                    $"Column '{_binding.ColumnName}' held a vector of {_value.Length} values; model input '{_binding.InputName}' needs {size} per row.");
            if (_transposeScratch is null)
            {
                _value.CopyTo(destination);
                return;
            }
            _value.CopyTo(_transposeScratch);
            var map = _binding.TransposeMap!;
            for (int i = 0; i < map.Length; i++)
                destination[i] = _transposeScratch[map[i]];
        }

        public void ClearPadding(int rows, int filled)
        {
            int size = _binding.RowSize;
            if (filled < rows)
                Array.Clear(_buffer, filled * size, (rows - filled) * size);
        }

        public OrtValue CreateTensor(int rows)
        {
            int size = _binding.RowSize;
            _shape[0] = rows;
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _buffer.AsMemory(0, rows * size), _shape);
        }
    }
}
