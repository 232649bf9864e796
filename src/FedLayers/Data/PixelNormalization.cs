namespace FedLayers.Data;

/// <summary>
/// How an image dataset standardised its pixels: stored = (pixel in [0, 1] - Mean) / Std, per
/// channel. Models with their own preprocessing (a pretrained network) use it to recover the
/// original pixels.
/// </summary>
public sealed record PixelNormalization(float[] Mean, float[] Std);
