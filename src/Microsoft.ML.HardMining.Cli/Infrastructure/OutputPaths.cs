namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>
/// The files a command reads and the files and folders it writes, checked against each other before any work: an output
/// is never an input, no two outputs share a path (one would silently replace the other), and an output folder is none of
/// the files. Paths are compared as normalized full paths.
/// </summary>
public sealed class OutputPaths
{
    // The default file systems of Windows and macOS ignore case: there 'A.csv' and 'a.csv' are one file.
    private static readonly StringComparison Comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly List<Entry> _inputs = [];
    private readonly List<Entry> _files = [];
    private readonly List<Entry> _folders = [];

    /// <summary>A file the command reads.</summary>
    /// <param name="described">How a message names it, e.g. <c>the input file</c> or <c>the --model file 'm.zip'</c>.</param>
    /// <param name="path">The path as given.</param>
    public OutputPaths Input(string described, string path)
    {
        _inputs.Add(new(described, Full(path)));
        return this;
    }

    /// <summary>A file the command writes.</summary>
    /// <param name="described">How a message names it, e.g. <c>--output 'hard.csv'</c>.</param>
    /// <param name="path">The path as given.</param>
    public OutputPaths File(string described, string path)
    {
        _files.Add(new(described, Full(path)));
        return this;
    }

    /// <summary>A folder the command writes files into.</summary>
    /// <param name="option">The option that names it, e.g. <c>--plots</c>.</param>
    /// <param name="folder">The folder as given.</param>
    /// <param name="fileNames">The names of the files written there.</param>
    public OutputPaths Folder(string option, string folder, IEnumerable<string> fileNames)
    {
        _folders.Add(new($"{option} '{folder}'", Full(folder)));
        foreach (var name in fileNames) _files.Add(new($"{option} '{folder}' (which writes {name} there)", Full(Path.Combine(folder, name))));
        return this;
    }

    /// <summary>Fails with a <see cref="CliException"/> naming both paths when an output is an input, two outputs are one
    /// file, or a folder is (or lies inside) one of the files.</summary>
    public void Check()
    {
        foreach (var file in _files)
            foreach (var input in _inputs)
                if (Same(file.Full, input.Full))
                    throw new CliException($"{file.Described} is {input.Described}: choose another path (hardmine never writes over what it reads).");
        for (var i = 0; i < _files.Count; i++)
            for (var j = 0; j < i; j++)
                if (Same(_files[i].Full, _files[j].Full))
                    throw new CliException($"{_files[j].Described} and {_files[i].Described} are the same file: give each output its own path.");
        foreach (var folder in _folders)
        {
            foreach (var file in _inputs.Concat(_files))
            {
                if (Same(folder.Full, file.Full))
                    throw new CliException($"{folder.Described} is the same path as {file.Described}: give the folder a path of its own.");
                if (folder.Full.StartsWith(file.Full + Path.DirectorySeparatorChar, Comparison))
                    throw new CliException($"{folder.Described} lies inside {file.Described}, which is a file: give the folder a path of its own.");
            }
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, Comparison);

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private sealed record Entry(string Described, string Full);
}
