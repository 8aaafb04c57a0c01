using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>
/// Checks the values of a command's options before Spectre.Console.Cli binds them. Spectre 0.57 answers an option left
/// without a value by retrying the parse with its internal default-command name inserted at each position, so
/// <c>-o</c> last became <c>-o __default_command</c>; and a value it cannot convert surfaces as an exception that names
/// neither the option nor the type in words. Both are caught here, naming the option as it was typed.
/// </summary>
public static class OptionValues
{
    /// <summary>Fails with a <see cref="CliException"/> on the first value option without a value or with a value its type rejects.</summary>
    /// <param name="command">The command's name, for the help hint.</param>
    /// <param name="args">The command line after the command name.</param>
    /// <param name="settingsType">The command's settings class, whose <see cref="CommandOptionAttribute"/>s say which options take values.</param>
    public static void Check(string command, IReadOnlyList<string> args, Type settingsType)
    {
        var options = ValueOptions(settingsType);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            // After "--" Spectre passes everything through as remaining arguments.
            if (arg == "--") return;
            if (!TryOption(arg, options, out var typed, out var option, out var inlineValue)) continue;
            string? value;
            if (inlineValue is not null) value = inlineValue;
            else if (i + 1 < args.Count && !LooksLikeOption(args[i + 1])) value = args[++i];
            else value = null;
            var name = Describe(typed, option.Attribute);
            if (value is null || (inlineValue is not null && inlineValue.Length == 0))
                throw new CliException($"option {name} needs a value: {typed} {option.Attribute.ValueName} (see hardmine {command} --help).");
            if (option.Converter is null) continue;
            try
            {
                // The same conversion Spectre applies afterwards, so what passes here binds there.
                _ = option.Converter.ConvertFrom(value);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or NotSupportedException)
            {
                throw new CliException($"{name} '{value}' is not {Expected(option.ElementType)}.", e);
            }
        }
    }

    private sealed record ValueOption(CommandOptionAttribute Attribute, Type ElementType, TypeConverter? Converter);

    private static Dictionary<string, ValueOption> ValueOptions(Type settingsType)
    {
        var byName = new Dictionary<string, ValueOption>(StringComparer.Ordinal);
        var descriptors = TypeDescriptor.GetProperties(settingsType);
        foreach (var property in settingsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attribute = property.GetCustomAttribute<CommandOptionAttribute>();
            if (attribute?.ValueName is null || attribute.ValueIsOptional) continue;
            var type = property.PropertyType.IsArray ? property.PropertyType.GetElementType()! : property.PropertyType;
            var element = Nullable.GetUnderlyingType(type) ?? type;
            var converter = element == typeof(string) ? null
                : property.PropertyType.IsArray ? TypeDescriptor.GetConverter(type)
                : descriptors.Find(property.Name, ignoreCase: false)?.Converter;
            var option = new ValueOption(attribute, element, converter);
            foreach (var n in attribute.LongNames) byName["--" + n] = option;
            foreach (var n in attribute.ShortNames) byName["-" + n] = option;
        }
        return byName;
    }

    // An option token as Spectre's tokenizer reads it: --name, --name=value, --name:value, -x, -x=value, or grouped flags
    // ending in a value option (-qo FILE).
    private static bool TryOption(string arg, Dictionary<string, ValueOption> options, out string typed, out ValueOption option, out string? inlineValue)
    {
        typed = "";
        option = null!;
        inlineValue = null;
        if (arg.Length < 2 || arg[0] != '-') return false;
        var separator = arg.IndexOfAny(['=', ':']);
        var head = separator < 0 ? arg : arg[..separator];
        if (separator >= 0) inlineValue = arg[(separator + 1)..];
        if (arg[1] != '-' && head.Length > 2)
        {
            // Grouped short options: only the last one can take the value.
            if (!head.Skip(1).All(char.IsLetter)) return false;
            head = "-" + head[^1];
        }
        if (!options.TryGetValue(head, out var found)) return false;
        typed = head;
        option = found;
        return true;
    }

    // Spectre reads "-1" or "-0.5" as a value, and anything else that starts with '-' as another option.
    private static bool LooksLikeOption(string arg) => arg.Length >= 2 && arg[0] == '-' && !char.IsDigit(arg[1]);

    private static string Describe(string typed, CommandOptionAttribute attribute)
    {
        var longName = attribute.LongNames.Count > 0 ? "--" + attribute.LongNames[0] : null;
        return longName is null || typed == longName ? typed : $"{typed}/{longName}";
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(double) || type == typeof(float) => "a number",
        _ when type == typeof(int) => string.Create(CultureInfo.InvariantCulture, $"a whole number from {int.MinValue} to {int.MaxValue}"),
        _ when type == typeof(long) => string.Create(CultureInfo.InvariantCulture, $"a whole number from {long.MinValue} to {long.MaxValue}"),
        _ => $"a valid {type.Name} value",
    };
}
