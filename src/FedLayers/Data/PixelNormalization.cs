namespace FedLayers.Data;

/// <summary>
/// How an image dataset standardised its pixels: stored = (pixel in [0, 1] - Mean) / Std, per
/// channel. Models with their own preprocessing (a pretrained network) use it to recover the
/// original pixels.
/// </summary>
/// <param name="Mean">Per channel, the mean subtracted (1 value for grayscale, 3 for RGB).</param>
/// <param name="Std">Per channel, the deviation divided by; as many values as <paramref name="Mean"/>.</param>
public sealed record PixelNormalization(float[] Mean, float[] Std);
