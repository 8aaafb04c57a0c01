using Spectre.Console;

namespace Microsoft.ML.HardMining.Cli.Infrastructure;

/// <summary>Runs steps with progress bars on an interactive terminal, and silently otherwise (redirected output, <c>--quiet</c>, tests).</summary>
/// <param name="context">Where to draw.</param>
/// <param name="quiet">Whether <c>--quiet</c> was given.</param>
public sealed class ProgressDisplay(CliContext context, bool quiet)
{
    /// <summary>Whether bars are drawn.</summary>
    public bool Enabled => context.CanShowProgress && !quiet;

    /// <summary>Runs <paramref name="work"/>, which reports its progress in [0, 1] through the given callback.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="description">The step, in a few words.</param>
    /// <param name="work">The step.</param>
    public T Run<T>(string description, Func<IProgress<double>, T> work)
    {
        if (!Enabled) return work(new Sink(_ => { }));
        T result = default!;
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: 1);
                result = work(new Sink(v => task.Value = Math.Clamp(v, 0, 1)));
                task.Value = 1;
            });
        return result;
    }

    /// <summary>Reports synchronously on the calling thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class Sink(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
