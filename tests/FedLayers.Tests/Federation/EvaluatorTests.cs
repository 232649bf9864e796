using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class EvaluatorTests
{
    [Theory]
    [InlineData("small-cnn")]
    [InlineData("tiny-bert")]
    public void KeptActivationsAreReusedOnlyBelowTheChangedGroupsAndGiveTheResultsOfAFreshEvaluation(string name)
    {
        torch.manual_seed(4);
        var (model, test) = Create(name);
        using var _ = model;
        using var __ = test;
        using var state = ModelState.Capture(model);
        using var evaluator = new Evaluator(model, test, CPU, batchSize: 16);
        int head = model.Groups.Count - 1;
        string lowLayer = model.SelectableGroups[1].Name;

        // (group changed before the evaluation, group the evaluation may start from)
        (string? Changed, int ExpectedStart)[] rounds =
        [
            (null, 0), // nothing kept yet; keeps the output of the fixed groups
            ("head", 1),
            ("head", head), // the second head-only change reuses what the first kept
            (lowLayer, 0), // below the kept boundary: everything again
            ("head", 2),
        ];
        foreach (var (changed, expectedStart) in rounds)
        {
            if (changed is not null) Nudge(state, model.Groups.First(g => g.Name == changed));
            var result = evaluator.Evaluate(state);
            Assert.Equal(expectedStart, evaluator.LastStartGroup);
            using var fresh = new Evaluator(model, test, CPU, batchSize: 16);
            Assert.Equal(fresh.Evaluate(state), result);
        }
    }

    [Fact]
    public void NothingIsKeptWithoutRoom()
    {
        using var test = TinyData.Images(40);
        using var model = new SmallCnn(test.NumClasses);
        using var state = ModelState.Capture(model);
        using var evaluator = new Evaluator(model, test, CPU, batchSize: 16, cacheBytes: 0);
        evaluator.Evaluate(state);
        Nudge(state, model.Groups[^1]);
        evaluator.Evaluate(state);
        Assert.Equal(0, evaluator.LastStartGroup);
    }

    private static void Nudge(ModelState state, LayerGroup group)
    {
        foreach (var name in group.ParameterNames) state.Add(name, full_like(state[name], 0.01));
    }

    private static (LayeredModel Model, LabeledDataset Test) Create(string name)
    {
        if (name != "tiny-bert") return (BuiltIn.Model(name, [1, 28, 28], 4), TinyData.Images(40));
        var config = new BertConfig(VocabSize: 30, HiddenSize: 8, NumHiddenLayers: 3, NumAttentionHeads: 2, IntermediateSize: 16, MaxPositionEmbeddings: 16);
        var ids = randint(1, 30, [40, 6], dtype: int64);
        ids[TensorIndex.Slice(0, 20), TensorIndex.Slice(3, 6)] = tensor(0L); // padding in half the rows
        var labels = Enumerable.Range(0, 40).Select(i => (long)(i % 3)).ToArray();
        return (new BertClassifier(config, 3, 6), new LabeledDataset(ids, labels, ["a", "b", "c"]));
    }
}
