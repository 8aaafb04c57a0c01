using System.Text;
using Microsoft.ML.HardMining.Cli.Infrastructure;

namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>
/// A delimited UTF-8 text file with a header row, read whole into memory: RFC 4180 quoting (quoted fields may hold the
/// separator, doubled quotes and line breaks), <c>\n</c> or <c>\r\n</c> line ends, blank lines ignored. Every record must have
/// as many fields as the header; a record that does not is reported with its line number, never skipped. Each record keeps
/// the bytes it was written as, so that it can be copied exactly.
/// </summary>
public sealed class CsvTable
{
    private static readonly byte[] Utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private CsvTable(string path, char separator, ReadOnlyMemory<byte> byteOrderMark, CsvRecord header, string[] columns, List<CsvRecord> records)
    {
        Path = path;
        Separator = separator;
        ByteOrderMark = byteOrderMark;
        Header = header;
        Columns = columns;
        Records = records;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The field separator.</summary>
    public char Separator { get; }

    /// <summary>The UTF-8 byte order mark the file starts with, or nothing.</summary>
    public ReadOnlyMemory<byte> ByteOrderMark { get; }

    /// <summary>The header row, as a record: its names and its bytes.</summary>
    public CsvRecord Header { get; }

    /// <summary>The header line as written (decoded).</summary>
    public string HeaderRaw => Header.Raw;

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
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Input file '{path}' cannot be read: {e.Message}", e);
        }
        var bom = bytes.AsSpan().StartsWith(Utf8ByteOrderMark) ? Utf8ByteOrderMark.Length : 0;
        if (bom == 0 && OtherEncoding(bytes) is { } encoding)
            throw new CliException($"Input file '{path}' is {encoding} text (its byte order mark says so): hardmine reads UTF-8; convert it first, e.g. iconv -f {encoding} -t UTF-8.");
        if (bytes.AsSpan().Contains((byte)0))
            throw new CliException($"Input file '{path}' is binary (it holds NUL bytes), not a CSV/TSV text file.");

        // Fields are parsed from the decoded text, records are kept as the file's bytes (invalid UTF-8, line ends and all).
        // The two meet at line feeds: byte 0x0A always decodes to '\n', even next to invalid UTF-8, and nothing else does,
        // so the k-th '\n' of the text is the k-th 0x0A of the file.
        var text = Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom);
        var parser = new Parser(text, separator, bytes, bom, LineFeeds(bytes));
        if (!parser.Next(out var header))
            throw new CliException($"Input file '{path}' is empty: it needs a header row and data rows.");
        var headerLine = header.Line;
        var columns = header.Fields.Select(h => h.Trim()).ToArray();
        var duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CliException($"Input file '{path}', line {headerLine}: the header names column '{duplicate.Key}' twice; column names must be unique.");
        if (columns.Any(c => c.Length == 0))
            throw new CliException($"Input file '{path}', line {headerLine}: the header has an empty column name (column {Array.IndexOf(columns, "") + 1}); name every column.");

        var records = new List<CsvRecord>();
        var errors = new List<string>();
        var errorCount = 0;
        var lastReport = 0;
        while (parser.Next(out var record))
        {
            if (record.Fields.Length != columns.Length)
            {
                errorCount++;
                if (errors.Count < ErrorList.Shown)
                    errors.Add($"line {record.Line} has {record.Fields.Length} field(s), the header has {columns.Length}");
                continue;
            }
            records.Add(record);
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
        return new CsvTable(path, separator, bytes.AsMemory(0, bom), header, columns, records);
    }

    // UTF-16 and UTF-32 text, recognised by its byte order mark (the longer marks first: UTF-32LE starts like UTF-16LE).
    private static string? OtherEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xFE, 0x00, 0x00, ..] => "UTF-32LE",
        [0x00, 0x00, 0xFE, 0xFF, ..] => "UTF-32BE",
        [0xFF, 0xFE, ..] => "UTF-16LE",
        [0xFE, 0xFF, ..] => "UTF-16BE",
        _ => null,
    };

    private static int[] LineFeeds(byte[] bytes)
    {
        var positions = new List<int>();
        for (var i = Array.IndexOf(bytes, (byte)'\n'); i >= 0; i = Array.IndexOf(bytes, (byte)'\n', i + 1)) positions.Add(i);
        return positions.ToArray();
    }

    /// <summary>An RFC 4180 record reader over the whole text, which finds each record's bytes in the file through the line feeds.</summary>
    private sealed class Parser(string text, char separator, byte[] bytes, int byteOrderMark, int[] lineFeeds)
    {
        private int _line = 1;

        public int Position { get; private set; }

        public int? UnterminatedQuoteLine { get; private set; }

        public bool Next(out CsvRecord record)
        {
            // Skip blank lines.
            while (Position < text.Length && (text[Position] == '\n' || (text[Position] == '\r' && Position + 1 < text.Length && text[Position + 1] == '\n')))
            {
                Position += text[Position] == '\r' ? 2 : 1;
                _line++;
            }
            record = null!;
            var line = _line;
            if (Position >= text.Length) return false;
            if (Position == 0 && text[0] == '\uFEFF') Position = 1;

            // A record starts a line: just after a line feed, or at the start of the file (after any byte order mark).
            var startByte = line == 1 ? byteOrderMark + Encoding.UTF8.GetByteCount(text.AsSpan(0, Position)) : lineFeeds[line - 2] + 1;
            int endByte, breakEndByte;
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
                    var trailingReturns = Position - start - text.AsSpan(start, Position - start).TrimEnd('\r').Length;
                    endByte = bytes.Length - trailingReturns;
                    breakEndByte = bytes.Length;
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
                    // _line - 1 line feeds came before this one, in the text and in the file alike.
                    var lineFeed = lineFeeds[_line - 1];
                    endByte = c == '\r' ? lineFeed - 1 : lineFeed;
                    breakEndByte = lineFeed + 1;
                    Position += c == '\r' ? 2 : 1;
                    _line++;
                    break;
                }
                field.Append(c);
                atFieldStart = false;
                Position++;
            }
            record = new CsvRecord(line, list.ToArray(), bytes.AsMemory(startByte, endByte - startByte), bytes.AsMemory(endByte, breakEndByte - endByte));
            return true;
        }
    }
}
