using Microsoft.ML.Data;

namespace Microsoft.ML.HardMining.Tests.Trainers;

/// <summary>
/// A stand-in "trainer" for exact-behaviour tests: it records the Id column of the rows it is given and returns a fixed
/// scorer that copies column <c>X</c> into <c>Score</c>, so the test knows every row's loss in advance.
/// </summary>
internal sealed class RecordingTrainer(MLContext ml) : IEstimator<ITransformer>
{
    public List<int[]> Calls { get; } = [];

    public ITransformer Fit(IDataView input)
    {
        Calls.Add(input.GetColumn<int>("Id").ToArray());
        return ml.Transforms.CopyColumns("Score", "X").Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => ml.Transforms.CopyColumns("Score", "X").GetOutputSchema(inputSchema);
}

internal sealed class XRow
{
    public int Id { get; set; }
    public bool Label { get; set; }
    public float X { get; set; }
}
