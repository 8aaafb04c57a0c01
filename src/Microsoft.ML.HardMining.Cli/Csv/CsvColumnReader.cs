using System.Globalization;
using Microsoft.ML.HardMining.Cli.Infrastructure;

namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>Turns the text fields of a <see cref="CsvTable"/> into typed columns; every unreadable value is reported with its line number.</summary>
public static class CsvColumnReader
{
    /// <summary>A binary label: <c>true/false</c>, <c>yes/no</c>, or a number (positive when &gt; 0).</summary>
    /// <param name="table">The file.</param>
    /// <param name="column">The column index.</param>
    public static bool[] ReadLabel(CsvTable table, int column) =>
        Read(table, column, "a label (true/false, yes/no, 1/0 or a number, positive when > 0)", field =>
        {
            var s = field.Trim();
            if (bool.TryParse(s, out var b)) return (true, b);
            if (s.Equals("yes", StringComparison.OrdinalIgnoreCase)) return (true, true);
            if (s.Equals("no", StringComparison.OrdinalIgnoreCase)) return (true, false);
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d)) return (true, d > 0);
            return (false, false);
        });

    /// <summary>A number; an empty field is NaN (ML.NET's missing value) when <paramref name="allowMissing"/>.</summary>
    /// <param name="table">The file.</param>
    /// <param name="column">The column index.</param>
    /// <param name="allowMissing">Whether empty fields are allowed (as NaN).</param>
    public static float[] ReadSingles(CsvTable table, int column, bool allowMissing) =>
        Read(table, column, allowMissing ? "a number" : "a number (this column may not be empty)", field => ParseSingle(field, allowMissing));

    /// <summary>A score or a probability: a finite number in every row. NaN, infinities and values beyond the range of a float
    /// (which parse as infinities) would reach the miner or the curves as numbers and fail there without a line number, or not at all.</summary>
    /// <param name="table">The file.</param>
    /// <param name="column">The column index.</param>
    public static float[] ReadScores(CsvTable table, int column) =>
        Read(table, column, "a finite number in every row (not empty, NaN, Infinity, nor beyond ±3.4e38)", field =>
        {
            var (ok, value) = ParseSingle(field, allowMissing: false);
            return (ok && float.IsFinite(value), value);
        });

    /// <summary>A double-precision number; empty is NaN.</summary>
    /// <param name="table">The file.</param>
    /// <param name="column">The column index.</param>
    public static double[] ReadDoubles(CsvTable table, int column) =>
        Read(table, column, "a number", field =>
        {
            var s = field.Trim();
            if (s.Length == 0) return (true, double.NaN);
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (true, d) : (false, 0d);
        });

    /// <summary>A 32-bit integer.</summary>
    /// <param name="table">The file.</param>
    /// <param name="column">The column index.</param>
    public static int[] ReadInt32s(CsvTable table, int column) =>
        Read(table, column, "an integer", field => int.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? (true, i) : (false, 0));

    /// <summary>The raw text.</summary>
    /// <param name="table">The file.</param>
    /// <param name="column">The column index.</param>
    public static string[] ReadText(CsvTable table, int column) => table.Records.Select(r => r.Fields[column]).ToArray();

    /// <summary>A vector of numbers from several columns, in the given order; empty fields are NaN.</summary>
    /// <param name="table">The file.</param>
    /// <param name="columns">The column indexes.</param>
    public static float[][] ReadVector(CsvTable table, IReadOnlyList<int> columns)
    {
        var rows = new float[table.Records.Count][];
        var errors = new List<string>();
        var errorCount = 0;
        for (var r = 0; r < rows.Length; r++)
        {
            var record = table.Records[r];
            var row = new float[columns.Count];
            for (var j = 0; j < columns.Count; j++)
            {
                var (ok, value) = ParseSingle(record.Fields[columns[j]], allowMissing: true);
                if (!ok)
                {
                    if (errorCount++ < ErrorList.Shown)
                        errors.Add($"line {record.Line}, column '{table.Columns[columns[j]]}': '{Shorten(record.Fields[columns[j]])}'");
                }
                row[j] = value;
            }
            rows[r] = row;
        }
        if (errorCount > 0)
            throw new CliException($"Input file '{table.Path}' has {errorCount} value(s) that are not numbers: {ErrorList.Join(errors, errorCount)}.");
        return rows;
    }

    /// <summary>
    /// The columns that make up a vector called <paramref name="name"/>: a comma-separated list of column names, one column of that
    /// name, or the columns <c>name.0, name.1, ...</c> (or <c>name_0, ...</c>) in index order.
    /// </summary>
    /// <param name="table">The file.</param>
    /// <param name="name">A column name, a prefix, or a comma-separated list.</param>
    /// <param name="option">The option that named it.</param>
    public static int[] ResolveVectorColumns(CsvTable table, string name, string option)
    {
        if (name.Contains(','))
            return name.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => table.IndexOf(n, option)).ToArray();
        var exact = table.Columns.ToList().IndexOf(name);
        if (exact >= 0) return [exact];
        foreach (var sep in new[] { ".", "_" })
        {
            var indexed = new List<(int Slot, int Column)>();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var c = table.Columns[i];
                if (c.StartsWith(name + sep, StringComparison.Ordinal) && int.TryParse(c.AsSpan(name.Length + sep.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
                    indexed.Add((slot, i));
            }
            if (indexed.Count > 0)
            {
                indexed.Sort();
                for (var k = 0; k < indexed.Count; k++)
                    if (indexed[k].Slot != k)
                        throw new CliException($"{option} '{name}': columns {name}{sep}0 ... {name}{sep}{indexed[^1].Slot} are not contiguous (slot {k} is missing) in '{table.Path}'.");
                return indexed.Select(x => x.Column).ToArray();
            }
        }
        throw new CliException($"{option} '{name}': '{table.Path}' has no column '{name}' nor columns '{name}.0', '{name}.1', ... Columns: {table.DescribeColumns()}. " +
            "Name the feature columns (a comma-separated list) or a prefix.");
    }

    private static (bool Ok, float Value) ParseSingle(string field, bool allowMissing)
    {
        var s = field.Trim();
        if (s.Length == 0) return (allowMissing, float.NaN);
        return float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? (true, f) : (false, 0f);
    }

    private static T[] Read<T>(CsvTable table, int column, string expected, Func<string, (bool Ok, T Value)> parse)
    {
        var values = new T[table.Records.Count];
        var errors = new List<string>();
        var errorCount = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var record = table.Records[r];
            var (ok, value) = parse(record.Fields[column]);
            if (!ok && errorCount++ < ErrorList.Shown)
                errors.Add($"line {record.Line}: '{Shorten(record.Fields[column])}'");
            values[r] = value;
        }
        if (errorCount > 0)
            throw new CliException($"Column '{table.Columns[column]}' of '{table.Path}' must hold {expected}; {errorCount} row(s) do not: {ErrorList.Join(errors, errorCount)}.");
        return values;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
