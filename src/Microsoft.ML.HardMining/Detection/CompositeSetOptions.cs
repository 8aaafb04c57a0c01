namespace Microsoft.ML.HardMining.Detection;

/// <summary>Options of <see cref="CompositeDetectionSet.Compose"/>.</summary>
public sealed class CompositeSetOptions
{
    /// <summary>Composite images made from each background (the unmodified background is added too when <see cref="IncludePlainBackground"/>). Default 3.</summary>
    public int ImagesPerBackground { get; set; } = 3;

    /// <summary>Whether each unmodified background joins the set as a background-only image. Default true.</summary>
    public bool IncludePlainBackground { get; set; } = true;

    /// <summary>Backgrounds are scaled so their longer side is at most this. Default 512.</summary>
    public int MaxSide { get; set; } = 512;

    /// <summary>Fewest objects pasted per composite. Default 1.</summary>
    public int MinObjects { get; set; } = 1;

    /// <summary>Most objects pasted per composite. Default 3.</summary>
    public int MaxObjects { get; set; } = 3;

    /// <summary>Most distractors (pasted, unlabelled) per composite. Default 2.</summary>
    public int MaxDistractors { get; set; } = 2;

    /// <summary>Smallest pasted side, as a fraction of the background's longer side. Default 0.1.</summary>
    public float MinScale { get; set; } = 0.1f;

    /// <summary>Largest pasted side, as a fraction of the background's longer side. Default 0.3.</summary>
    public float MaxScale { get; set; } = 0.3f;

    /// <summary>Width of the soft edge blended into the background, as a fraction of the pasted side. Default 0.12.</summary>
    public float Feather { get; set; } = 0.12f;

    /// <summary>Seed: the same seed gives the same set. Default 0.</summary>
    public int Seed { get; set; }
}
