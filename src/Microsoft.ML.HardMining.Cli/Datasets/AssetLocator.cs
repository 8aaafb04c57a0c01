namespace Microsoft.ML.HardMining.Cli.Datasets;

/// <summary>Finds the real assets that <c>scripts/fetch-assets.sh</c> caches.</summary>
public static class AssetLocator
{
    /// <summary>The cache folder: <c>$HARDMINING_ASSETS</c>, else <c>~/.cache/hardmining-assets</c>.</summary>
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HARDMINING_ASSETS");
            return string.IsNullOrEmpty(env)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "hardmining-assets")
                : env;
        }
    }

    /// <summary>The path of an asset under <see cref="Root"/>; throws with the command to run when it is missing.</summary>
    /// <param name="parts">Path parts under the cache folder.</param>
    public static string Require(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"Real asset '{path}' is missing: run scripts/fetch-assets.sh (or set HARDMINING_ASSETS to its cache folder).", path);
        return path;
    }
}
