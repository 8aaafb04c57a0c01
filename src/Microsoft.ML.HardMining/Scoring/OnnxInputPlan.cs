using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Which column feeds which model input, and whether the model's batch axis is fixed (schema-independent part).</summary>
internal sealed class OnnxInputPlan
{
    private OnnxInputPlan(OnnxModelInfo model, (string Column, OnnxTensorInfo Input)[] feeds, int? fixedBatch, OnnxScoringOptions options)
    {
        Model = model;
        Feeds = feeds;
        FixedBatch = fixedBatch;
        ShapeDictionary = options.ShapeDictionary;
        ColumnImageLayout = options.ColumnImageLayout;
        ModelImageLayout = options.ModelImageLayout;
    }

    public OnnxModelInfo Model { get; }

    public IReadOnlyList<(string Column, OnnxTensorInfo Input)> Feeds { get; }

    /// <summary>The model's fixed batch size, or <see langword="null"/> when its batch axis is dynamic.</summary>
    public int? FixedBatch { get; }

    private IDictionary<string, int[]>? ShapeDictionary { get; }

    private OnnxImageLayout? ColumnImageLayout { get; }

    private OnnxImageLayout ModelImageLayout { get; }

    public static OnnxInputPlan Create(OnnxModelInfo model, OnnxScoringOptions options)
    {
        var columns = options.InputColumnNames ?? [];
        if (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException(
                $"{nameof(OnnxScoringOptions.InputColumnNames)} must name the column(s) feeding model '{model.ModelFileName}', whose inputs are {model.Describe(model.Inputs)}.",
                nameof(options));
        string[] inputNames;
        if (options.ModelInputNames is { } given)
        {
            if (given.Length != columns.Length)
                throw new ArgumentException(
                    $"{nameof(OnnxScoringOptions.ModelInputNames)} has {given.Length} name(s) but {nameof(OnnxScoringOptions.InputColumnNames)} has {columns.Length}: give one model input per column.",
                    nameof(options));
            inputNames = given;
        }
        else
        {
            inputNames = columns.Length == 1 && model.Inputs.Count == 1 ? [model.Inputs[0].Name] : columns;
        }

        var feeds = new (string, OnnxTensorInfo)[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            var input = model.Inputs.FirstOrDefault(t => t.Name == inputNames[i])
                ?? throw new ArgumentException(
                    $"Model '{model.ModelFileName}' has no input '{inputNames[i]}' (to be fed from column '{columns[i]}'); its inputs are {model.Describe(model.Inputs)}. " +
                    $"Set {nameof(OnnxScoringOptions.ModelInputNames)}.",
                    nameof(options));
            if (!input.IsTensor || input.ElementType != typeof(float))
                throw new ArgumentException(
                    $"Model '{model.ModelFileName}' input '{input.Name}' {input.ShapeText}: expected element type Single, found {(input.IsTensor ? input.ElementType.Name : "a non-tensor value")}. " +
                    "Only float tensor inputs can be fed from columns.",
                    nameof(options));
            if (input.Dimensions.Length == 0)
                throw new ArgumentException($"Model '{model.ModelFileName}' input '{input.Name}' is a scalar with no batch axis; it cannot be fed row by row.", nameof(options));
            feeds[i] = (columns[i], input);
        }

        var missing = model.Inputs.Where(t => feeds.All(f => f.Item2.Name != t.Name)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException(
                $"Model '{model.ModelFileName}' input(s) {model.Describe(missing)} are not fed by any column: add them to {nameof(OnnxScoringOptions.InputColumnNames)} " +
                $"(and {nameof(OnnxScoringOptions.ModelInputNames)}), or export the model without them.",
                nameof(options));
        var duplicates = feeds.GroupBy(f => f.Item2.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
            throw new ArgumentException($"Model '{model.ModelFileName}' input(s) {string.Join(", ", duplicates)} are fed by more than one column.", nameof(options));

        var batchDims = feeds.Select(f => f.Item2.Dimensions[0]).Distinct().ToArray();
        if (batchDims.Length > 1)
            throw new ArgumentException(
                $"Model '{model.ModelFileName}' inputs disagree on the batch axis ({string.Join(", ", feeds.Select(f => f.Item2.Name + " " + f.Item2.ShapeText))}).",
                nameof(options));
        int? fixedBatch = batchDims[0] > 0 ? batchDims[0] : null;
        return new OnnxInputPlan(model, feeds, fixedBatch, options);
    }

    /// <summary>Checks the columns of an estimator's input shape (existence, float items, scalar or fixed vector).</summary>
    public void Check(SchemaShape inputShape)
    {
        foreach (var (columnName, input) in Feeds)
        {
            var matches = inputShape.Where(c => c.Name == columnName).ToArray();
            if (matches.Length == 0)
                throw new ArgumentOutOfRangeException(nameof(inputShape), $"Input column '{columnName}' (feeding model input '{input.Name}' of '{Model.ModelFileName}') is not in the data.");
            var column = matches[^1];
            if (column.ItemType != NumberDataViewType.Single || column.Kind == SchemaShape.Column.VectorKind.VariableVector)
                throw new ArgumentOutOfRangeException(nameof(inputShape),
                    $"Column '{columnName}' feeding model input '{input.Name}' {input.ShapeText} of '{Model.ModelFileName}': expected a Single scalar or a known-size Single vector, found {column.Kind} of {column.ItemType}.");
        }
    }

    /// <summary>Binds the feeds to the columns of a schema, checking types and sizes.</summary>
    public OnnxInputBinding[] Bind(DataViewSchema schema)
    {
        var bindings = new OnnxInputBinding[Feeds.Count];
        for (int i = 0; i < Feeds.Count; i++)
        {
            var (columnName, input) = Feeds[i];
            var column = schema.GetColumnOrNull(columnName)
                ?? throw new ArgumentOutOfRangeException(nameof(schema),
                    $"Input column '{columnName}' (feeding model input '{input.Name}' {input.ShapeText} of '{Model.ModelFileName}') is not in the data; its columns are " +
                    string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' {c.Type}")) + ".");
            var type = column.Type;
            int columnSize;
            if (type == NumberDataViewType.Single)
                columnSize = 1;
            else if (type is VectorDataViewType v && v.ItemType == NumberDataViewType.Single && v.IsKnownSize)
                columnSize = v.Size;
            else
                throw new ArgumentOutOfRangeException(nameof(schema),
                    $"Column '{columnName}' feeding model input '{input.Name}' {input.ShapeText} of '{Model.ModelFileName}': expected element type Single (a scalar or a known-size vector), found {type}.");

            var rowDims = RowDims(input, columnName, columnSize, type);
            bindings[i] = new OnnxInputBinding(column.Index, columnName, input.Name, rowDims, columnSize, TransposeMap(input, rowDims));
        }
        return bindings;
    }

    private long[] RowDims(OnnxTensorInfo input, string columnName, int columnSize, DataViewType type)
    {
        var dims = input.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        if (ShapeDictionary is not null && ShapeDictionary.TryGetValue(input.Name, out var given))
        {
            if (given.Length != input.Dimensions.Length)
                throw new ArgumentException(
                    $"{nameof(OnnxScoringOptions.ShapeDictionary)}['{input.Name}'] has rank {given.Length} but model input '{input.Name}' {input.ShapeText} has rank {input.Dimensions.Length}.",
                    nameof(OnnxScoringOptions.ShapeDictionary));
            for (int d = 1; d < given.Length; d++)
            {
                if (input.Dimensions[d] > 0 && given[d] != input.Dimensions[d])
                    throw new ArgumentException(
                        $"{nameof(OnnxScoringOptions.ShapeDictionary)}['{input.Name}'] axis {d} is {given[d]} but the model fixes it to {input.Dimensions[d]}.",
                        nameof(OnnxScoringOptions.ShapeDictionary));
                dims[d - 1] = given[d];
            }
        }

        var unknown = Enumerable.Range(0, dims.Length).Where(d => dims[d] <= 0).ToArray();
        long known = dims.Where(d => d > 0).Aggregate(1L, (a, b) => a * b);
        if (unknown.Length == 1 && known > 0 && columnSize % known == 0)
            dims[unknown[0]] = columnSize / known;
        else if (unknown.Length > 0)
            throw new ArgumentException(
                $"Model input '{input.Name}' {input.ShapeText} of '{Model.ModelFileName}' has {unknown.Length} dynamic non-batch dimension(s) that column '{columnName}' ({type}) cannot settle: " +
                $"give the full shape in {nameof(OnnxScoringOptions.ShapeDictionary)}, e.g. [\"{input.Name}\"] = new[] {{ -1, ... }}.",
                nameof(OnnxScoringOptions.ShapeDictionary));

        long rowSize = dims.Aggregate(1L, (a, b) => a * b);
        if (rowSize != columnSize)
            throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Column '{columnName}' feeding model input '{input.Name}' of '{Model.ModelFileName}': expected {rowSize} Single values per row (shape [{string.Join(",", dims)}]), " +
                $"found {type} with {columnSize} value(s). Resize the data or set {nameof(OnnxScoringOptions.ShapeDictionary)}.");
        return dims;
    }

    private int[]? TransposeMap(OnnxTensorInfo input, long[] rowDims)
    {
        if (ColumnImageLayout is not OnnxImageLayout columnLayout || columnLayout == ModelImageLayout)
            return null;
        if (rowDims.Length != 3)
            throw new ArgumentException(
                $"{nameof(OnnxScoringOptions.ColumnImageLayout)} is set but model input '{input.Name}' {input.ShapeText} is not an image tensor of rank 4.",
                nameof(OnnxScoringOptions.ColumnImageLayout));
        var map = new int[(int)(rowDims[0] * rowDims[1] * rowDims[2])];
        if (ModelImageLayout == OnnxImageLayout.Chw)
        {
            // model [C,H,W] fed from an interleaved [H,W,C] column
            int c = (int)rowDims[0], h = (int)rowDims[1], w = (int)rowDims[2];
            for (int ci = 0; ci < c; ci++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        map[(ci * h + y) * w + x] = (y * w + x) * c + ci;
        }
        else
        {
            // model [H,W,C] fed from a planar [C,H,W] column
            int h = (int)rowDims[0], w = (int)rowDims[1], c = (int)rowDims[2];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ci = 0; ci < c; ci++)
                        map[(y * w + x) * c + ci] = (ci * h + y) * w + x;
        }
        return map;
    }

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One input column bound to one model input for a given schema.</summary>
internal sealed record OnnxInputBinding(int ColumnIndex, string ColumnName, string InputName, long[] RowDims, int RowSize, int[]? TransposeMap);
