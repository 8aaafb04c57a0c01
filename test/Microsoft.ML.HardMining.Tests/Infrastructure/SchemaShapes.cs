using System.Reflection;

namespace Microsoft.ML.HardMining.Tests.Infrastructure;

/// <summary>
/// <c>SchemaShape.Create</c> is internal; <c>EstimatorChain.Fit</c> calls it before any <c>GetOutputSchema</c>. Tests call it the
/// same way to check an estimator's shape on its own.
/// </summary>
internal static class SchemaShapes
{
    private static readonly MethodInfo Create = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)])
        ?? throw new MissingMethodException("SchemaShape.Create(DataViewSchema) not found in this ML.NET version.");

    public static SchemaShape Of(DataViewSchema schema) => (SchemaShape)Create.Invoke(null, [schema])!;
}
