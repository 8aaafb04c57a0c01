using Microsoft.ML.Data;
using Microsoft.ML.HardMining.Cli.Csv;
using Microsoft.ML.HardMining.Cli.Infrastructure;

namespace Microsoft.ML.HardMining.Cli.Scoring;

/// <summary>Builds the <see cref="ScoredInput"/> of a CSV file from a score column, an ML.NET model or an ONNX model.</summary>
public static class ScoredInputBuilder
{
    private const string OnnxInputColumn = "__HardmineOnnxInput";
    private static readonly byte[] ZipMagic = "PK\u0003\u0004"u8.ToArray();

    /// <summary>Scores the rows of <paramref name="table"/> as <paramref name="options"/> says.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="table">The checked file.</param>
    /// <param name="options">The score source.</param>
    public static ScoredInput Build(MLContext ml, CsvTable table, ScoreSourceOptions options)
    {
        var sources = new[] { options.ScoreColumn ?? options.ProbabilityColumn, options.ModelPath, options.OnnxPath }.Count(s => s is not null);
        if (sources != 1)
            throw new CliException(sources == 0
                ? "Say where the scores come from: --score-column NAME (or --probability-column), --model MODEL.zip, or --onnx MODEL.onnx."
                : "Give only one score source: --score-column/--probability-column, --model or --onnx.");
        if (options.ModelPath is not null) return FromModel(ml, table, options);
        if (options.OnnxPath is not null) return FromOnnx(ml, table, options);
        return FromColumns(table, options);
    }

    private static ScoredInput FromColumns(CsvTable table, ScoreSourceOptions options)
    {
        var columns = new List<TypedColumn> { LabelColumn(table, options.LabelColumn) };
        string scoreColumn;
        if (options.ScoreColumn is not null)
        {
            scoreColumn = options.ScoreColumn;
            columns.Add(TypedColumn.Single(scoreColumn, CsvColumnReader.ReadScores(table, table.IndexOf(scoreColumn, "--score-column"))));
        }
        else
        {
            // Only probabilities: the miner reads them for the loss; the score column is the same values (monotone, fine for curves).
            scoreColumn = options.ProbabilityColumn!;
        }
        if (options.ProbabilityColumn is not null && options.ProbabilityColumn != options.ScoreColumn)
        {
            var probabilities = CsvColumnReader.ReadScores(table, table.IndexOf(options.ProbabilityColumn, "--probability-column"));
            var bad = Array.FindIndex(probabilities, p => p is < 0 or > 1);
            if (bad >= 0)
                throw new CliException($"--probability-column '{options.ProbabilityColumn}': line {table.Records[bad].Line} holds {probabilities[bad]}, not a probability in [0, 1]. For raw scores use --score-column.");
            columns.Add(TypedColumn.Single(options.ProbabilityColumn, probabilities));
        }
        AddGroup(table, options, columns);
        var description = options.ScoreColumn is not null ? $"score column '{options.ScoreColumn}'" : $"probability column '{options.ProbabilityColumn}'";
        return new ScoredInput(new TableDataView(columns), options.LabelColumn, scoreColumn, options.ProbabilityColumn, description);
    }

    private static ScoredInput FromModel(MLContext ml, CsvTable table, ScoreSourceOptions options)
    {
        var path = options.ModelPath!;
        CheckModelFile(path, "--model", wantZip: true);
        ITransformer model;
        DataViewSchema modelInput;
        try
        {
            model = ml.Model.Load(path, out modelInput);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CliException($"--model '{path}' is not an ML.NET model that can be loaded (a .zip saved by mlContext.Model.Save): {e.Message}", e);
        }

        var labelIndex = table.IndexOf(options.LabelColumn, "--label");
        var columns = new List<TypedColumn>();
        var missing = new List<string>();
        foreach (var column in modelInput.Where(c => !c.IsHidden))
        {
            if (column.Name == options.LabelColumn && column.Type is BooleanDataViewType)
            {
                columns.Add(TypedColumn.Boolean(column.Name, CsvColumnReader.ReadLabel(table, labelIndex)));
                continue;
            }
            var built = TryBuild(table, column);
            if (built is null) missing.Add($"{column.Name} ({column.Type})");
            else columns.Add(built);
        }
        if (!columns.Any(c => c.Name == options.LabelColumn))
            columns.Add(LabelColumn(table, options.LabelColumn));
        AddGroup(table, options, columns);

        var data = new TableDataView(columns);
        IDataView scored;
        try
        {
            scored = model.Transform(data);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            var needs = string.Join(", ", modelInput.Where(c => !c.IsHidden).Select(c => $"{c.Name} ({c.Type})"));
            throw new CliException($"--model '{path}' cannot score '{table.Path}': {FirstLine(e.Message)} The model was trained on: {needs}; " +
                $"{(missing.Count > 0 ? "the file lacks " + string.Join(", ", missing) + "; " : "")}the file has: {table.DescribeColumns()}.", e);
        }
        var score = scored.Schema.GetColumnOrNull("Score")
            ?? throw new CliException($"--model '{path}' does not produce a 'Score' column (it outputs {string.Join(", ", scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}): give a binary classification model.");
        if (score.Type is not NumberDataViewType)
            throw new CliException($"--model '{path}' produces 'Score' of type {score.Type}: give a binary classification model (one score per row), not a multiclass or ranking model.");
        var probability = scored.Schema.GetColumnOrNull("Probability") is { Type: NumberDataViewType } ? "Probability" : null;
        return new ScoredInput(scored, options.LabelColumn, "Score", probability, $"ML.NET model '{Path.GetFileName(path)}'");
    }

    private static ScoredInput FromOnnx(MLContext ml, CsvTable table, ScoreSourceOptions options)
    {
        var path = options.OnnxPath!;
        CheckModelFile(path, "--onnx", wantZip: false);
        var featureColumns = CsvColumnReader.ResolveVectorColumns(table, options.Features, "--features");
        var columns = new List<TypedColumn>
        {
            LabelColumn(table, options.LabelColumn),
            TypedColumn.Vector(OnnxInputColumn, featureColumns.Length, CsvColumnReader.ReadVector(table, featureColumns)),
        };
        AddGroup(table, options, columns);
        var data = new TableDataView(columns);
        IDataView scored;
        try
        {
            var scorer = ml.Transforms.ScoreOnnxBatched(path, OnnxInputColumn, batchSize: options.BatchSize).Fit(data);
            scored = scorer.Transform(data);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CliException($"--onnx '{path}' cannot score the {featureColumns.Length} feature column(s) of '{table.Path}' (hardmine feeds one float input, built from --features '{options.Features}'): {FirstLine(e.Message)}", e);
        }
        var probability = scored.Schema.GetColumnOrNull("Probability") is { Type: NumberDataViewType } ? "Probability" : null;
        return new ScoredInput(scored, options.LabelColumn, "Score", probability, $"ONNX model '{Path.GetFileName(path)}' (batched, {featureColumns.Length} features)");
    }

    private static TypedColumn? TryBuild(CsvTable table, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is VectorDataViewType { ItemType: var item, Size: > 0 and var size } && item == NumberDataViewType.Single)
        {
            int[] indexes;
            try
            {
                indexes = CsvColumnReader.ResolveVectorColumns(table, column.Name, "model input");
            }
            catch (CliException)
            {
                return null;
            }
            if (indexes.Length != size)
                throw new CliException($"The model's input '{column.Name}' is a vector of {size} numbers but '{table.Path}' has {indexes.Length} column(s) for it.");
            return TypedColumn.Vector(column.Name, size, CsvColumnReader.ReadVector(table, indexes));
        }
        var index = table.Columns.ToList().IndexOf(column.Name);
        if (index < 0) return null;
        if (type == NumberDataViewType.Single) return TypedColumn.Single(column.Name, CsvColumnReader.ReadSingles(table, index, allowMissing: true));
        if (type == NumberDataViewType.Double) return TypedColumn.Double(column.Name, CsvColumnReader.ReadDoubles(table, index));
        if (type == NumberDataViewType.Int32) return TypedColumn.Int32(column.Name, CsvColumnReader.ReadInt32s(table, index));
        if (type is BooleanDataViewType) return TypedColumn.Boolean(column.Name, CsvColumnReader.ReadLabel(table, index));
        if (type is TextDataViewType) return TypedColumn.Text(column.Name, CsvColumnReader.ReadText(table, index));
        throw new CliException($"The model's input '{column.Name}' has type {type}, which hardmine cannot read from a CSV file; use a model whose inputs are numbers, Booleans, text or a numeric vector.");
    }

    private static TypedColumn LabelColumn(CsvTable table, string label) =>
        TypedColumn.Boolean(label, CsvColumnReader.ReadLabel(table, table.IndexOf(label, "--label")));

    private static void AddGroup(CsvTable table, ScoreSourceOptions options, List<TypedColumn> columns)
    {
        if (options.GroupColumn is null || columns.Any(c => c.Name == options.GroupColumn)) return;
        columns.Add(TypedColumn.Text(options.GroupColumn, CsvColumnReader.ReadText(table, table.IndexOf(options.GroupColumn, "--group"))));
    }

    private static void CheckModelFile(string path, string option, bool wantZip)
    {
        if (Directory.Exists(path)) throw new CliException($"{option} '{path}' is a folder: give the model file.");
        if (!File.Exists(path)) throw new CliException($"{option} '{path}': the model file does not exist.");
        var head = new byte[4];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{path}' cannot be read: {e.Message}", e);
        }
        var isZip = read == 4 && head.AsSpan().SequenceEqual(ZipMagic);
        if (wantZip && !isZip)
            throw new CliException($"{option} '{path}' is not an ML.NET model (a .zip saved by mlContext.Model.Save)" +
                (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase) ? "; for an ONNX model use --onnx." : "."));
        if (!wantZip && isZip)
            throw new CliException($"{option} '{path}' is a zip archive, not an ONNX model; for an ML.NET model (.zip) use --model.");
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
