using System.Text;

namespace Microsoft.ML.HardMining.Cli.Csv;

/// <summary>One record of a delimited file.</summary>
/// <param name="Line">The 1-based line on which the record starts (the header is line 1).</param>
/// <param name="Fields">The unquoted field values.</param>
/// <param name="RawBytes">The record exactly as the file holds it, without its line break: copied verbatim into mined output.</param>
/// <param name="LineBreak">The line break that ends the record in the file (<c>\r\n</c>, <c>\n</c>, or nothing at the end of the file).</param>
public sealed record CsvRecord(int Line, string[] Fields, ReadOnlyMemory<byte> RawBytes, ReadOnlyMemory<byte> LineBreak)
{
    /// <summary>The record as written (decoded as UTF-8, without its line break).</summary>
    public string Raw => Encoding.UTF8.GetString(RawBytes.Span);
}
