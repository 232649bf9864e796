namespace FedLayers.Models.ResNet;

/// <summary>The shape of a basic-block ResNet as an exported checkpoint defines it.</summary>
/// <param name="BlocksPerStage">basic blocks in each of the four stages (torchvision's ResNet18: 2, 2, 2, 2).</param>
/// <param name="StemPadding">padding of the 7x7 stride-2 stem convolution.</param>
/// <param name="StridedPadding">padding of every 3x3 stride-2 convolution.</param>
/// <param name="MaxPoolPadding">padding of the 3x3 stride-2 max pool.</param>
public sealed record ResNetLayout(int[] BlocksPerStage, Padding2d StemPadding, Padding2d StridedPadding, Padding2d MaxPoolPadding);
