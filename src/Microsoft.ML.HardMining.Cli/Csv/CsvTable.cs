using System.Text;
using Microsoft.ML.HardMining.Cli.Infrastructure;

namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>
/// A delimited text file with a header row, read whole into memory: RFC 4180 quoting (quoted fields may hold the separator,
/// doubled quotes and line breaks), <c>\n</c> or <c>\r\n</c> line ends, blank lines ignored. Every record must have as many
/// fields as the header; a record that does not is reported with its line number, never skipped.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(string path, char separator, string headerRaw, string[] columns, List<CsvRecord> records)
    {
        Path = path;
        Separator = separator;
        HeaderRaw = headerRaw;
        Columns = columns;
        Records = records;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The field separator.</summary>
    public char Separator { get; }

    /// <summary>The header line as written.</summary>
    public string HeaderRaw { get; }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The data records, in file order.</summary>
    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>The separator for a path: tab for <c>.tsv</c>/<c>.tab</c>, else comma, unless <paramref name="option"/> names one.</summary>
    /// <param name="path">The file.</param>
    /// <param name="option">The <c>--separator</c> value: a single character, <c>tab</c>, <c>comma</c> or <c>semicolon</c>; null to decide by extension.</param>
    public static char SeparatorFor(string path, string? option) => option?.ToLowerInvariant() switch
    {
        null or "" => System.IO.Path.GetExtension(path).ToLowerInvariant() is ".tsv" or ".tab" ? '\t' : ',',
        "tab" or "\\t" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        { Length: 1 } s => s[0],
        _ => throw new CliException($"--separator '{option}' is not one character: use tab, comma, semicolon or a single character."),
    };

    /// <summary>The index of a column, or a <see cref="CliException"/> that lists the columns the file has.</summary>
    /// <param name="name">The column name (case-sensitive).</param>
    /// <param name="option">The option that named it.</param>
    public int IndexOf(string name, string option)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i] == name) return i;
        var caseInsensitive = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        var hint = caseInsensitive is null ? "" : $" (did you mean '{caseInsensitive}'? names are case-sensitive)";
        throw new CliException($"{option} '{name}': '{Path}' has no such column{hint}. Columns: {DescribeColumns()}.");
    }

    /// <summary>The column names for messages, shortened when there are many.</summary>
    public string DescribeColumns()
    {
        const int shown = 12;
        return Columns.Count <= shown
            ? string.Join(", ", Columns)
            : string.Join(", ", Columns.Take(shown)) + $", ... ({Columns.Count} in all)";
    }

    /// <summary>Reads and checks a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="progress">Receives the share of the file read, in [0, 1].</param>
    public static CsvTable Read(string path, char separator, IProgress<double>? progress = null)
    {
        if (Directory.Exists(path))
            throw new CliException($"Input '{path}' is a folder: give a CSV or TSV file.");
        if (!File.Exists(path))
            throw new CliException($"Input file '{path}' does not exist.");
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Input file '{path}' cannot be read: {e.Message}", e);
        }
        if (text.Contains('\0'))
            throw new CliException($"Input file '{path}' is binary (it holds NUL bytes), not a CSV/TSV text file.");

        var parser = new Parser(text, separator);
        if (!parser.Next(out var headerFields, out var headerLine, out var headerRaw))
            throw new CliException($"Input file '{path}' is empty: it needs a header row and data rows.");
        var columns = headerFields.Select(h => h.Trim()).ToArray();
        var duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CliException($"Input file '{path}', line {headerLine}: the header names column '{duplicate.Key}' twice; column names must be unique.");
        if (columns.Any(c => c.Length == 0))
            throw new CliException($"Input file '{path}', line {headerLine}: the header has an empty column name (column {Array.IndexOf(columns, "") + 1}); name every column.");

        var records = new List<CsvRecord>();
        var errors = new List<string>();
        var errorCount = 0;
        var lastReport = 0;
        while (parser.Next(out var fields, out var line, out var raw))
        {
            if (fields.Length != columns.Length)
            {
                errorCount++;
                if (errors.Count < ErrorList.Shown)
                    errors.Add($"line {line} has {fields.Length} field(s), the header has {columns.Length}");
                continue;
            }
            records.Add(new CsvRecord(line, fields, raw));
            if (progress is not null && parser.Position - lastReport > 1 << 20)
            {
                lastReport = parser.Position;
                progress.Report((double)parser.Position / text.Length);
            }
        }
        if (parser.UnterminatedQuoteLine is int open)
            throw new CliException($"Input file '{path}', line {open}: a quoted field is never closed (a missing '\"').");
        if (errorCount > 0)
            throw new CliException($"Input file '{path}' has {errorCount} unreadable row(s): {ErrorList.Join(errors, errorCount)}. " +
                $"Fix or remove them (quote fields that contain '{(separator == '\t' ? "\\t" : separator.ToString())}', or pass --separator).");
        if (records.Count == 0)
            throw new CliException($"Input file '{path}' has a header but no data rows.");
        progress?.Report(1);
        return new CsvTable(path, separator, headerRaw, columns, records);
    }

    /// <summary>An RFC 4180 record reader over the whole text.</summary>
    private sealed class Parser(string text, char separator)
    {
        private int _line = 1;

        public int Position { get; private set; }

        public int? UnterminatedQuoteLine { get; private set; }

        public bool Next(out string[] fields, out int line, out string raw)
        {
            // Skip blank lines.
            while (Position < text.Length && (text[Position] == '\n' || (text[Position] == '\r' && Position + 1 < text.Length && text[Position + 1] == '\n')))
            {
                Position += text[Position] == '\r' ? 2 : 1;
                _line++;
            }
            fields = [];
            line = _line;
            raw = "";
            if (Position >= text.Length) return false;
            if (Position == 0 && text[0] == '\uFEFF') Position = 1;

            var start = Position;
            var list = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var atFieldStart = true;
            while (true)
            {
                if (Position >= text.Length)
                {
                    if (quoted) UnterminatedQuoteLine ??= line;
                    list.Add(field.ToString());
                    raw = text[start..Position].TrimEnd('\r');
                    break;
                }
                var c = text[Position];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (Position + 1 < text.Length && text[Position + 1] == '"') { field.Append('"'); Position += 2; continue; }
                        quoted = false;
                        Position++;
                        continue;
                    }
                    if (c == '\n') _line++;
                    field.Append(c);
                    Position++;
                    continue;
                }
                if (c == '"' && atFieldStart) { quoted = true; atFieldStart = false; Position++; continue; }
                if (c == separator) { list.Add(field.ToString()); field.Clear(); atFieldStart = true; Position++; continue; }
                if (c == '\n' || (c == '\r' && Position + 1 < text.Length && text[Position + 1] == '\n'))
                {
                    list.Add(field.ToString());
                    raw = text[start..Position];
                    Position += c == '\r' ? 2 : 1;
                    _line++;
                    break;
                }
                field.Append(c);
                atFieldStart = false;
                Position++;
            }
            fields = list.ToArray();
            return true;
        }
    }
}
