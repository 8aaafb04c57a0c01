namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>The message of an error the library raised about the user's data, as one line of a <c>hardmine</c> error.</summary>
public static class LibraryErrors
{
    /// <summary>The first line of <paramref name="e"/>'s message, without the parameter name .NET appends to argument errors
    /// (a name from the library's code, which means nothing on the command line).</summary>
    /// <param name="e">The library's exception.</param>
    public static string Message(Exception e)
    {
        var line = e.Message.Split('\n')[0].TrimEnd();
        if (e is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (line.EndsWith(suffix, StringComparison.Ordinal)) line = line[..^suffix.Length];
        }
        return line;
    }
}
