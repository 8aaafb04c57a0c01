using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.HardMining.Cli.Reports;

/// <summary>The JSON settings of every report: camelCase, indented, enums as strings.</summary>
public static class Json
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="stream"/>.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="stream">The target.</param>
    /// <param name="value">The document.</param>
    public static void Write<T>(Stream stream, T value) => JsonSerializer.Serialize(stream, value, Options);
}
