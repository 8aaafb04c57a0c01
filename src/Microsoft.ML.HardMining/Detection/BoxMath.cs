namespace Microsoft.ML.HardMining.Detection;

/// <summary>Raw-coordinate box arithmetic shared by <see cref="BoundingBox"/> and the NMS routines.</summary>
internal static class BoxMath
{
    public static float IoU(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2, float by2)
    {
        var iw = MathF.Min(ax2, bx2) - MathF.Max(ax1, bx1);
        if (iw <= 0)
            return 0f;
        var ih = MathF.Min(ay2, by2) - MathF.Max(ay1, by1);
        if (ih <= 0)
            return 0f;
        var inter = iw * ih;
        var union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return union > 0 ? inter / union : 0f;
    }
}
