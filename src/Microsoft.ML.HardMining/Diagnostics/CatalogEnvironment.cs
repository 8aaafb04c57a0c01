using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Diagnostics;

/// <summary>
/// Recovers the environment behind an ML.NET catalog. ML.NET keeps <c>CatalogUtils.GetEnvironment</c>
/// internal, yet an extension method on <see cref="TransformsCatalog"/> must log into the user's
/// <see cref="MLContext.Log"/> and share its seed; the environment is read through the catalog's
/// explicit <c>IInternalCatalog.Environment</c> property.
/// </summary>
internal static class CatalogEnvironment
{
    private const string PropertyName = "Microsoft.ML.Data.IInternalCatalog.Environment";

    public static IHostEnvironment? TryGet(object catalog)
    {
        for (var type = catalog.GetType(); type != null; type = type.BaseType)
        {
            var property = type.GetProperty(PropertyName, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (property?.GetValue(catalog) is IHostEnvironment environment)
                return environment;
        }
        return null;
    }
}
