namespace FedLayers.Data;

/// <summary>
/// The datasets <c>--dataset</c> can name, as <c>NAME</c> or <c>NAME:PATH</c> where the data
/// lives somewhere other than its default place.
/// </summary>
public static class DatasetCatalog
{
    public static readonly IReadOnlyList<string> Names = ["fashion-mnist"];

    public static (LabeledDataset Train, LabeledDataset Test) Load(string spec)
    {
        var (name, path) = spec.IndexOf(':') is var colon and > 0 ? (spec[..colon], spec[(colon + 1)..]) : (spec, null);
        return name switch
        {
            "fashion-mnist" => FashionMnist.Load(path ?? FashionMnist.DefaultDirectory),
            _ => throw new UserInputException($"--dataset: unknown dataset '{spec}'; expected one of {string.Join(", ", Names)} (optionally NAME:PATH)"),
        };
    }
}
