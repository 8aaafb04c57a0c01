using Microsoft.ML.HardMining.Cli;
using Microsoft.ML.HardMining.Cli.Infrastructure;

return HardmineApp.Run(args, CliContext.ForProcess());
