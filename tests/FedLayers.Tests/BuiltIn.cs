using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Setup;

namespace FedLayers.Tests;

/// <summary>The built-in models and datasets by name, through the registries, as a run builds them.</summary>
internal static class BuiltIn
{
    public static LayeredModel Model(string name, IReadOnlyList<long> inputShape, int numClasses, PixelNormalization? pixels = null) =>
        FederationSetup.CreateModel(RunConfig.Defaults().With(RunSettings.Model, name), inputShape, numClasses, pixels);

    public static ITextEncoder TextEncoder(string name, int maxSeqLen) =>
        FederationSetup.TextEncoderOf(RunConfig.Defaults().With(RunSettings.Model, name).With(BuiltInModels.MaxSeqLen, maxSeqLen));

    public static DatasetSplits Dataset(string spec, int seed) => DataLoading.Load(RunConfig.Defaults(), spec, seed);
}
