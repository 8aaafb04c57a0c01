namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>Writes files so that a reader never sees a partial one: write a temporary file beside the target, then move it.</summary>
public static class AtomicFile
{
    // .NET has no portable way to ask whether a path is a device, a FIFO or a kernel file, so such targets are refused by
    // where they live: on Linux and macOS, /dev, /proc and /sys hold nothing a user means to replace with a regular file.
    private static readonly string[] SystemFolders = ["/dev/", "/proc/", "/sys/"];

    /// <summary>Checks early that <paramref name="path"/> can be written (its folder exists and accepts a file), before any long work.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="option">The option that named it, for the message.</param>
    public static void CheckWritable(string path, string option)
    {
        var full = Path.GetFullPath(path);
        if (SystemFolderOf(full) is { } system)
        {
            var what = (system, File.Exists(full)) switch
            {
                ("/dev/", true) => "is a device",
                (_, true) => $"is a kernel file (under {system})",
                _ => $"is under {system}, among devices and kernel files",
            };
            throw new CliException($"{option} '{path}' {what}: hardmine writes a file beside the target and renames it into place, which replaces whatever is there; give a regular file path.");
        }
        if (Directory.Exists(full))
            throw new CliException($"{option} '{path}' is a folder: give a file path.");
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new CliException($"{option} '{path}': folder '{folder}' does not exist. Create it first or choose another path.");
        var probe = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{path}' cannot be written: {e.Message}", e);
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Checks early that <paramref name="folder"/> can hold output files: it is a folder, or nothing yet (it is created
    /// when the files are written).</summary>
    /// <param name="folder">The target folder.</param>
    /// <param name="option">The option that named it, for the message.</param>
    public static void CheckFolder(string folder, string option)
    {
        if (SystemFolderOf(Path.GetFullPath(folder)) is { } system)
            throw new CliException($"{option} '{folder}' is under {system}, where files are devices or kernel files that hardmine would replace: give a folder of your own.");
        if (File.Exists(Path.GetFullPath(folder)))
            throw new CliException($"{option} '{folder}' is a file: give a folder path (it is created if missing).");
    }

    private static string? SystemFolderOf(string fullPath)
    {
        if (OperatingSystem.IsWindows()) return null;
        var withSlash = Path.TrimEndingDirectorySeparator(fullPath) + "/";
        return SystemFolders.FirstOrDefault(f => withSlash.StartsWith(f, StringComparison.Ordinal));
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) if missing, naming the option when it cannot.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="option">The option that named it, for the message.</param>
    public static void CreateFolder(string folder, string option)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{folder}' cannot be created: {e.Message}", e);
        }
    }

    /// <summary>Writes several files all-or-nothing: each to a temporary file first; only when all are written are they moved into place.</summary>
    /// <param name="files">Target path, option name (for messages) and the writer of its content.</param>
    public static void WriteAll(IReadOnlyList<(string Path, string Option, Action<Stream> Write)> files)
    {
        var temps = new List<(string Temp, string Target, string Option)>();
        try
        {
            foreach (var (path, option, write) in files)
            {
                var full = Path.GetFullPath(path);
                var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                temps.Add((temp, full, option));
                try
                {
                    using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"{option} '{path}' cannot be written: {e.Message}", e);
                }
            }
            foreach (var (temp, target, option) in temps)
            {
                try
                {
                    File.Move(temp, target, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"{option} '{target}' cannot be written: {e.Message}", e);
                }
            }
        }
        finally
        {
            foreach (var (temp, _, _) in temps)
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
