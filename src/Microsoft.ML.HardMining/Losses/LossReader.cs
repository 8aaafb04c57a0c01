using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining;

/// <summary>
/// Checks a schema against the options once (naming the option and the columns that exist when something is wrong), then
/// reads label, score and loss row by row from a cursor.
/// </summary>
internal sealed class LossReader
{
    private readonly HardExampleMiningOptions _options;
    private readonly DataViewSchema.Column _label;
    private readonly DataViewSchema.Column? _score;
    private readonly DataViewSchema.Column? _probability;
    private readonly DataViewSchema.Column? _lossColumn;
    private readonly DataViewSchema.Column? _group;
    private readonly DataViewSchema.Column? _box;

    public LossReader(DataViewSchema schema, HardExampleMiningOptions options)
    {
        _options = options;
        MinedColumnTypes.Check(options, name => schema.GetColumnOrNull(name) is { } c ? MinedColumnTypes.ColumnType.Of(c.Type) : null,
            () => string.Join(", ", schema.Where(col => !col.IsHidden).Select(col => $"'{col.Name}' ({col.Type})")), scoresFromScorer: false);
        // The types are right from here on; what is left is what only the schema knows: a key's count, a vector's length.
        _label = schema[options.LabelColumnName];
        if (options.Loss == MiningLossKind.CrossEntropy)
        {
            var key = (KeyDataViewType)_label.Type;
            if (key.Count == 0 || key.Count > int.MaxValue)
                throw MinedColumnTypes.Error(_label.Name, nameof(options.LabelColumnName), $"is {key}, but the multiclass cross-entropy loss needs a key label with a known count (use mlContext.Transforms.Conversion.MapValueToKey)");
            ClassCount = (int)key.Count;
            IsBinary = false;
        }
        else
        {
            ClassCount = 2;
            IsBinary = true;
        }

        if (MinedColumnTypes.ReadsScore(options))
        {
            _score = schema[options.ScoreColumnName];
            if (IsBinary) RequireLengthOne(_score.Value, nameof(options.ScoreColumnName));
            else if (_score.Value.Type is VectorDataViewType { Size: > 0 } v && v.Size != ClassCount)
                throw MinedColumnTypes.Error(_score.Value.Name, nameof(options.ScoreColumnName), $"has {v.Size} class scores but the label has {ClassCount} classes");
        }
        if (MinedColumnTypes.ReadsProbability(options))
        {
            _probability = schema[options.ProbabilityColumnName!];
            RequireLengthOne(_probability.Value, nameof(options.ProbabilityColumnName));
        }
        if (options.Loss == MiningLossKind.Column)
        {
            _lossColumn = schema[options.LossColumnName!];
            RequireLengthOne(_lossColumn.Value, nameof(options.LossColumnName));
        }
        if (options.GroupColumnName is not null) _group = schema[options.GroupColumnName];
        if (options.BoxColumnName is not null)
        {
            _box = schema[options.BoxColumnName];
            if (_box.Value.Type is VectorDataViewType { Size: not (0 or 4) } boxType)
                throw MinedColumnTypes.Error(_box.Value.Name, nameof(options.BoxColumnName), $"is {boxType}; a box column must be a vector of 4 Single values (x1, y1, x2, y2)");
        }
    }

    /// <summary>The loss of a row from the hardness <see cref="RowReader.Read"/> returned; the same function for every class.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public double LossOfHardness(int classIndex, double hardness)
    {
        var o = _options;
        switch (o.Loss)
        {
            case MiningLossKind.Hinge:
                return Math.Max(0, o.HingeMargin + hardness);
            case MiningLossKind.LogLoss when _probability is null:
                // hardness = -margin: log(1 + exp(-margin)) through the stable form.
                return ExampleLosses.LogLossFromScore(false, hardness);
            case MiningLossKind.LogLoss:
                return ExampleLosses.LogLossFromProbability(false, hardness);
            case MiningLossKind.Squared when _probability is not null:
                return hardness * hardness;
            default:
                return hardness;
        }
    }

    public int ClassCount { get; }
    public bool IsBinary { get; }
    public string LabelColumnName => _label.Name;

    public IEnumerable<DataViewSchema.Column> NeededColumns
    {
        get
        {
            yield return _label;
            if (_score is { } s) yield return s;
            if (_probability is { } p) yield return p;
            if (_lossColumn is { } l) yield return l;
            if (_group is { } g) yield return g;
            if (_box is { } b) yield return b;
        }
    }

    public RowReader Bind(DataViewRow row) => new(this, row);

    /// <summary>
    /// The label and score columns when a row's class is its Boolean label and its hardness is the Single raw score signed
    /// by that label (log-loss or hinge on a raw score) and nothing else is read per row; null otherwise.
    /// </summary>
    public (DataViewSchema.Column Label, DataViewSchema.Column Score)? BooleanLabelSingleScore =>
        HardnessIsSignedSingleScore && _lossColumn is null && _group is null && _box is null ? (_label, _score!.Value) : null;

    /// <summary>
    /// Likewise for a Single probability of the positive class under log-loss or squared error: hardness is the wrong
    /// class's probability, and nothing else is read per row; null otherwise.
    /// </summary>
    public (DataViewSchema.Column Label, DataViewSchema.Column Probability)? BooleanLabelSingleProbability =>
        _label.Type is BooleanDataViewType && _probability is { } p && p.Type == NumberDataViewType.Single && _score is null
        && _options.Loss is MiningLossKind.LogLoss or MiningLossKind.Squared && _lossColumn is null && _group is null && _box is null
            ? (_label, p) : null;

    /// <summary>Likewise for a Single precomputed loss column (<see cref="MiningLossKind.Column"/>): hardness is the loss.</summary>
    public (DataViewSchema.Column Label, DataViewSchema.Column Loss)? BooleanLabelSingleLoss =>
        _label.Type is BooleanDataViewType && _lossColumn is { } l && l.Type == NumberDataViewType.Single && _group is null && _box is null
            ? (_label, l) : null;

    // A Boolean label and a Single raw score under log-loss or hinge: hardness is the score signed by the label.
    private bool HardnessIsSignedSingleScore =>
        _label.Type is BooleanDataViewType && _score is { } score && score.Type == NumberDataViewType.Single && _probability is null
        && _options.Loss is MiningLossKind.LogLoss or MiningLossKind.Hinge;

    /// <summary>Reads only the label: the class of a row, or -1 when the label is missing.</summary>
    public Func<int> BindLabel(DataViewRow row) => LabelReader(row, _label, IsBinary);

    internal enum Status { Ok, MissingLabel, InvalidScore }

    internal sealed class RowReader
    {
        private readonly LossReader _owner;
        private readonly Func<int> _class;
        private readonly Func<double>? _score;
        private readonly Func<double>? _probability;
        private readonly Func<double>? _loss;
        private readonly ValueGetter<VBuffer<float>>? _scoreVector;
        private readonly Func<string>? _group;
        private readonly ValueGetter<VBuffer<float>>? _box;
        private VBuffer<float> _scores;
        private VBuffer<float> _boxValues;
        private float[] _dense = [];
        // The common case — Boolean label, Single raw score, log-loss or hinge — reads straight from ML.NET's getters.
        private readonly ValueGetter<bool>? _booleanLabel;
        private readonly ValueGetter<float>? _singleScore;
        private bool _labelValue;
        private float _scoreValue;

        public RowReader(LossReader owner, DataViewRow row)
        {
            _owner = owner;
            if (owner.HardnessIsSignedSingleScore)
            {
                _booleanLabel = row.GetGetter<bool>(owner._label);
                _singleScore = row.GetGetter<float>(owner._score!.Value);
            }
            _class = LabelReader(row, owner._label, owner.IsBinary);
            if (owner._score is { } s)
            {
                if (owner.IsBinary) _score = NumberReader(row, s);
                else _scoreVector = row.GetGetter<VBuffer<float>>(s);
            }
            if (owner._probability is { } p) _probability = NumberReader(row, p);
            if (owner._lossColumn is { } l) _loss = NumberReader(row, l);
            if (owner._group is { } g) _group = GroupReader(row, g);
            if (owner._box is { } b) _box = row.GetGetter<VBuffer<float>>(b);
        }

        /// <summary>
        /// Reads a row's class and hardness. For log-loss and hinge on a raw score, and for log-loss and squared error on a
        /// probability, hardness is the signed margin or the wrong-class probability, which orders rows (of both classes) exactly
        /// as the loss does and costs no logarithm; <see cref="LossOfHardness"/> gives the loss. Otherwise hardness is the loss.
        /// </summary>
        public Status Read(out int classIndex, out double hardness)
        {
            if (_singleScore is not null)
            {
                _booleanLabel!(ref _labelValue);
                _singleScore(ref _scoreValue);
                classIndex = _labelValue ? 1 : 0;
                hardness = _labelValue ? -_scoreValue : _scoreValue;
                return float.IsFinite(_scoreValue) ? Status.Ok : Status.InvalidScore;
            }
            hardness = double.NaN;
            ref var loss = ref hardness;
            classIndex = _class();
            if (classIndex < 0) return Status.MissingLabel;
            var o = _owner._options;
            var positive = classIndex == 1;
            switch (o.Loss)
            {
                case MiningLossKind.Column:
                    loss = _loss!();
                    break;
                case MiningLossKind.CrossEntropy:
                    _scoreVector!(ref _scores);
                    if (_scores.Length != _owner.ClassCount)
                        throw new InvalidOperationException($"Column '{_owner._score!.Value.Name}' has {_scores.Length} class scores in this row but the label has {_owner.ClassCount} classes.");
                    if (_dense.Length != _scores.Length) _dense = new float[_scores.Length];
                    _scores.CopyTo(_dense);
                    foreach (var v in _dense) if (!float.IsFinite(v)) return Status.InvalidScore;
                    loss = ExampleLosses.CrossEntropy(classIndex, _dense, o.ScoresAreProbabilities);
                    break;
                case MiningLossKind.Hinge:
                    var raw = _score!();
                    if (!double.IsFinite(raw)) return Status.InvalidScore;
                    loss = positive ? -raw : raw;
                    return Status.Ok;
                default:
                    double p;
                    if (_probability is not null)
                    {
                        p = _probability();
                        if (!(p >= 0 && p <= 1)) return Status.InvalidScore;
                        if (o.Loss != MiningLossKind.Focal)
                        {
                            loss = positive ? 1 - p : p;
                            return Status.Ok;
                        }
                    }
                    else
                    {
                        var s = _score!();
                        if (!double.IsFinite(s)) return Status.InvalidScore;
                        if (o.Loss == MiningLossKind.LogLoss) { loss = positive ? -s : s; return Status.Ok; }
                        if (o.Loss == MiningLossKind.Squared) { loss = ExampleLosses.Squared(positive ? 1 : 0, s); break; }
                        p = ExampleLosses.Sigmoid(s);
                    }
                    loss = o.Loss switch
                    {
                        MiningLossKind.LogLoss => ExampleLosses.LogLossFromProbability(positive, p),
                        MiningLossKind.Squared => ExampleLosses.Squared(positive ? 1 : 0, p),
                        _ => ExampleLosses.Focal(positive, p, o.FocalGamma, o.FocalAlpha),
                    };
                    break;
            }
            return double.IsFinite(loss) ? Status.Ok : Status.InvalidScore;
        }

        public string? Group() => _group?.Invoke();

        public void ReadBox(ref MiningCandidate candidate)
        {
            if (_box is null) return;
            _box(ref _boxValues);
            if (_boxValues.Length != 4)
                throw new InvalidOperationException($"Column '{_owner._box!.Value.Name}' holds {_boxValues.Length} values in this row; a box needs 4 (x1, y1, x2, y2).");
            var v = _boxValues.GetValues();
            var dense = _boxValues.IsDense ? v : _boxValues.DenseValues().ToArray();
            candidate.X1 = dense[0]; candidate.Y1 = dense[1]; candidate.X2 = dense[2]; candidate.Y2 = dense[3];
            if (!(candidate.X2 >= candidate.X1 && candidate.Y2 >= candidate.Y1))
                throw new InvalidOperationException($"Column '{_owner._box!.Value.Name}' holds the box ({candidate.X1}, {candidate.Y1}, {candidate.X2}, {candidate.Y2}) at row {candidate.Position}: boxes must be finite with x2 >= x1 and y2 >= y1.");
        }
    }

    private static Func<int> LabelReader(DataViewRow row, DataViewSchema.Column label, bool binary)
    {
        if (!binary)
        {
            var getter = row.GetGetter<uint>(label);
            uint key = 0;
            return () => { getter(ref key); return (int)key - 1; };
        }
        if (label.Type is BooleanDataViewType)
        {
            var getter = row.GetGetter<bool>(label);
            bool value = false;
            return () => { getter(ref value); return value ? 1 : 0; };
        }
        var number = NumberReader(row, label);
        return () =>
        {
            var v = number();
            return double.IsNaN(v) ? -1 : v > 0 ? 1 : 0;
        };
    }

    private static Func<double> NumberReader(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type == NumberDataViewType.Single)
        {
            var getter = row.GetGetter<float>(column);
            float value = 0;
            return () => { getter(ref value); return value; };
        }
        if (type == NumberDataViewType.Double)
        {
            var getter = row.GetGetter<double>(column);
            double value = 0;
            return () => { getter(ref value); return value; };
        }
        // A vector of length 1: what ApplyOnnxModel makes of an OnnxConverter export's Score and Probability.
        var vectorGetter = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            vectorGetter(ref buffer);
            if (buffer.Length != 1)
                throw new InvalidOperationException($"Column '{column.Name}' holds {buffer.Length} values in this row; a binary score must be a single value.");
            return buffer.GetItemOrDefault(0);
        };
    }

    private static Func<string> GroupReader(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        var ci = CultureInfo.InvariantCulture;
        if (type is TextDataViewType)
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> value = default;
            return () => { getter(ref value); return value.ToString(); };
        }
        if (type is KeyDataViewType)
        {
            if (type.RawType == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v.ToString(ci); }; }
            if (type.RawType == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v.ToString(ci); }; }
            if (type.RawType == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v.ToString(ci); }; }
            var b = row.GetGetter<byte>(column); byte bv = 0; return () => { b(ref bv); return bv.ToString(ci); };
        }
        if (type.RawType == typeof(int)) { var g = row.GetGetter<int>(column); int v = 0; return () => { g(ref v); return v.ToString(ci); }; }
        if (type.RawType == typeof(long)) { var g = row.GetGetter<long>(column); long v = 0; return () => { g(ref v); return v.ToString(ci); }; }
        if (type.RawType == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v.ToString(ci); }; }
        if (type.RawType == typeof(float)) { var g = row.GetGetter<float>(column); float v = 0; return () => { g(ref v); return v.ToString("R", ci); }; }
        if (type.RawType == typeof(double)) { var g = row.GetGetter<double>(column); double v = 0; return () => { g(ref v); return v.ToString("R", ci); }; }
        throw MinedColumnTypes.Error(column.Name, "GroupColumnName", $"is {type}; a group column must be text, a key, Int32, Int64, UInt32, Single or Double");
    }

    // A Single vector passed the type check, which a shape cannot tell the length of: it must hold exactly one value.
    private static void RequireLengthOne(DataViewSchema.Column column, string option)
    {
        if (column.Type is VectorDataViewType { Size: not 1 } vector)
            throw MinedColumnTypes.Error(column.Name, option, $"is {vector}, but it must be a Single or Double value (or a Single vector of length 1)");
    }
}
