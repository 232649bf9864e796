using FedLayers.Federation;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>A user's own modules as a layered model: staged (one module per group) and whole (groups by name prefixes).</summary>
public class CustomModelTests
{
    private static CustomModel Staged() => CustomModel.Staged("mlp", 3,
    [
        new("input", LayerRole.Fixed, nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh())),
        new("block1", LayerRole.Selectable, nn.Sequential(nn.Linear(8, 8), nn.Tanh())),
        new("block2", LayerRole.Selectable, nn.Sequential(nn.Linear(8, 8), nn.Tanh())),
        new("head", LayerRole.Common, nn.Linear(8, 3)),
    ]);

    /// <summary>The same network as one module: its submodules carry the same names as <see cref="Staged"/>'s stages.</summary>
    private sealed class WholeNet : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> input, block1, block2, head;

        public WholeNet(CustomModel staged) : base("whole-net")
        {
            var children = staged.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
            (input, block1, block2, head) = (children["input"], children["block1"], children["block2"], children["head"]);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => head.call(block2.call(block1.call(input.call(x))));
    }

    private static readonly GroupDeclaration[] WholeGroups =
    [
        new("input", LayerRole.Fixed, ["input"]),
        new("block1", LayerRole.Selectable, ["block1"]),
        new("block2", LayerRole.Selectable, ["block2"]),
        new("head", LayerRole.Common, ["head"]),
    ];

    [Fact]
    public void AStagedModelRunsInPiecesAsItRunsWhole()
    {
        torch.manual_seed(1);
        using var model = Staged();
        Assert.True(model.IsStaged);
        Assert.Equal(["input", "block1", "block2", "head"], model.Groups.Select(g => g.Name));
        Assert.Equal(["block1", "block2"], model.SelectableGroups.Select(g => g.Name));
        Assert.Equal(["input.1.weight", "input.1.bias"], model.Groups[0].ParameterNames);
        Assert.Equal(2 * (8 * 8 + 8), model.Groups[1].ForwardFlopsPerSample);
        using var x = randn(5, 1, 4, 4);
        using var whole = model.call(x);
        using var _ = no_grad();
        var prefix = model.Run(new GroupActivation(x), 0, 2);
        Assert.True(TensorAssert.BitwiseEqual(whole, model.Run(prefix, 2, 4).Hidden));
    }

    [Fact]
    public void AWholeModelTrainsTheSameAsItsStagedTwinOnTheSlowerPath()
    {
        using var data = TinyData.Images(48, classes: 3, size: 4);
        var trained = new[] { "block2", "head" };
        var options = new LocalTrainingOptions(2, null, 0.1, 16);

        torch.manual_seed(5);
        using var staged = Staged();
        using var stagedGlobal = ModelState.Capture(staged);
        using var stagedUpdate = new ClientTrainer(staged, CPU).Train(0, stagedGlobal, data, [.. Enumerable.Range(0, 48)], trained, options, new Random(2));

        torch.manual_seed(5);
        using var twin = Staged();
        using var whole = CustomModel.Whole("mlp", 3, new WholeNet(twin), WholeGroups);
        Assert.False(whole.IsStaged);
        Assert.Throws<NotSupportedException>(() => whole.Run(new GroupActivation(zeros(1, 1, 4, 4)), 0, 2));
        using var wholeGlobal = ModelState.Capture(whole);
        using var wholeUpdate = new ClientTrainer(whole, CPU).Train(0, wholeGlobal, data, [.. Enumerable.Range(0, 48)], trained, options, new Random(2));

        Assert.Equal(stagedUpdate.Deltas.Keys.Order(), wholeUpdate.Deltas.Keys.Order());
        foreach (var (name, delta) in stagedUpdate.Deltas)
        {
            Assert.True(delta.abs().sum().item<float>() > 0, $"{name} did not move");
            Assert.True(TensorAssert.BitwiseEqual(delta, wholeUpdate.Deltas[name]), $"{name} differs between the staged and the whole path");
        }
        Assert.True(TensorAssert.BitwiseEqual(wholeGlobal["input.1.weight"], whole.state_dict()["input.1.weight"]), "a fixed group moved");
    }

    [Theory]
    [InlineData("head left out", "parameter 'head.weight' is in no layer group")]
    [InlineData("block2.0 twice", "'block2.0.weight' is claimed by layer group 'again'")]
    [InlineData("a typo", "layer group 'typo' owns no tensor")]
    public void ABadGroupDeclarationIsRefusedNamingTheTensorOrGroup(string mistake, string expected)
    {
        GroupDeclaration[] groups = mistake switch
        {
            "head left out" => WholeGroups[..3],
            "block2.0 twice" => [.. WholeGroups, new GroupDeclaration("again", LayerRole.Common, ["block2.0"])],
            _ => [.. WholeGroups, new GroupDeclaration("typo", LayerRole.Selectable, ["blok3"])],
        };
        using var net = new WholeNet(Staged());
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => CustomModel.Whole("mlp", 3, net, groups)).Message);
    }
}
