using System.Text;
using Microsoft.ML.HardMining.Cli.Csv;

namespace Microsoft.ML.HardMining.Tests.Cli;

/// <summary>The CSV reader: RFC 4180 quoting, line numbers and verbatim records.</summary>
[TestClass]
public sealed class CsvTableTests
{
    [TestMethod]
    public void QuotedFieldsLineBreaksAndLineNumbers()
    {
        var path = Path.Combine(CliTestData.NewFolder(), "q.csv");
        File.WriteAllText(path, "\uFEFFa,b,c\r\n1,\"x, \"\"y\"\"\",\"two\r\nlines\"\r\n\r\n2,,z\n3,\"\",w");
        var t = CsvTable.Read(path, ',');
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, t.Columns.ToArray());
        Assert.HasCount(3, t.Records);
        CollectionAssert.AreEqual(new[] { "1", "x, \"y\"", "two\r\nlines" }, t.Records[0].Fields);
        Assert.AreEqual(2, t.Records[0].Line);
        Assert.AreEqual("1,\"x, \"\"y\"\"\",\"two\r\nlines\"", t.Records[0].Raw);
        Assert.AreEqual(5, t.Records[1].Line, "a blank line is skipped but counted");
        CollectionAssert.AreEqual(new[] { "2", "", "z" }, t.Records[1].Fields);
        Assert.AreEqual(6, t.Records[2].Line);
        CollectionAssert.AreEqual(new[] { "3", "", "w" }, t.Records[2].Fields, "the last line needs no line break");
    }

    [TestMethod]
    public void TextInAnotherEncodingThanUtf8IsRefused()
    {
        // Records are copied as the file's bytes into UTF-8 output; UTF-16 was decoded and silently re-encoded.
        var path = Path.Combine(CliTestData.NewFolder(), "u16.csv");
        File.WriteAllText(path, "Label,Score\ntrue,1\nfalse,0\n", Encoding.Unicode);
        var e = Assert.ThrowsExactly<Microsoft.ML.HardMining.Cli.Infrastructure.CliException>(() => CsvTable.Read(path, ','));
        Assert.Contains("is UTF-16LE text", e.Message);
        Assert.Contains("iconv -f UTF-16LE -t UTF-8", e.Message);
    }

    [TestMethod]
    public void SeparatorByExtensionAndOption()
    {
        Assert.AreEqual('\t', CsvTable.SeparatorFor("x.tsv", null));
        Assert.AreEqual(',', CsvTable.SeparatorFor("x.csv", null));
        Assert.AreEqual(';', CsvTable.SeparatorFor("x.csv", "semicolon"));
        Assert.AreEqual('|', CsvTable.SeparatorFor("x.txt", "|"));
    }

    [TestMethod]
    public void DuplicateHeaderAndBinaryFilesAreRejected()
    {
        var dir = CliTestData.NewFolder();
        var dup = Path.Combine(dir, "d.csv");
        File.WriteAllText(dup, "a,b,a\n1,2,3\n");
        var e = Assert.ThrowsExactly<Microsoft.ML.HardMining.Cli.Infrastructure.CliException>(() => CsvTable.Read(dup, ','));
        Assert.Contains("'a' twice", e.Message);
        var bin = Path.Combine(dir, "b.csv");
        File.WriteAllBytes(bin, [0x50, 0x4b, 0x03, 0x04, 0, 0, 0]);
        Assert.Contains("binary", Assert.ThrowsExactly<Microsoft.ML.HardMining.Cli.Infrastructure.CliException>(() => CsvTable.Read(bin, ',')).Message);
    }
}
