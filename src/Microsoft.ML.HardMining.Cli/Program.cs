using Microsoft.ML.HardMining.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("hardmine");
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Train a baseline and a hard-mined model on real data with the same negative budget and compare them side by side.")
        .WithExample("demo")
        .WithExample("demo", "--dataset", "spam", "--trainer", "sdca", "--budget", "0.1");
});
return app.Run(args);
