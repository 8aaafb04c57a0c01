using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.HardMining.Trainers;

/// <summary>
/// Writes informational lines to the <see cref="MLContext.Log"/> of the context a catalog belongs to. A private stand-in
/// until the core's <c>Microsoft.ML.HardMining.Diagnostics.MiningLog</c> is available to this folder.
/// </summary>
/// <remarks>ML.NET keeps a catalog's environment internal; it is read by reflection and, if that ever fails, nothing is logged.</remarks>
internal static class TrainerLog
{
    public static IChannelProvider? FromCatalog(object catalog)
    {
        try
        {
            for (var t = catalog.GetType(); t is not null; t = t.BaseType)
            {
                var prop = t.GetProperty("Environment", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly);
                if (prop?.GetValue(catalog) is IChannelProvider env) return env;
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException)
        {
        }
        return null;
    }

    public static void Info(IChannelProvider? environment, string source, string message)
    {
        if (environment is null) return;
        using var channel = environment.Start(source);
        channel.Info(MessageSensitivity.None, message);
    }
}
