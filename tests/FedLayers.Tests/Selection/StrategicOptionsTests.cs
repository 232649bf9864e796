using FedLayers.Aggregation;
using FedLayers.Selection;
using FedLayers.Selection.Solver;
using FedLayers.Setup;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

/// <summary>Strategic's two options on hand cases: client rewards weighted by samples, and the unused budget filled.</summary>
public class StrategicOptionsTests
{
    // Two clients, budget 1 each, lambda 1: disagreeing costs more than either gains, so both take one layer.
    // Equal weights: layer 2 (0.8 + 0.3 = 1.1 over 0.2 + 0.7 = 0.9). Samples 1 : 3 give w = 0.5, 1.5 and
    // G = 1 again: layer 1 (0.1 + 1.05 = 1.15 over 0.4 + 0.45 = 0.85; disagreeing scores 0.4 + 1.05 - 1 = 0.45).
    private static readonly double[][] TwoViews = [[0, 0.2, 0.8], [0, 0.7, 0.3]];

    private static SelectionContext WithCounts(double[][] gradients, double[] budgets, int[] counts, double[]? costs = null) =>
        Context(budgets, gradients[0].Length, [.. gradients.Select(g => Probe(g))], costs) with { SampleCounts = counts };

    [Fact]
    public void EqualWeightsAgreeOnTheLayerWithTheLargestSummedMass()
    {
        var masks = new StrategicSelector(lambda: 1).Select(WithCounts(TwoViews, [1, 1], [1, 3]));
        Assert.All(masks, mask => Assert.Equal([2], Layers(mask)));
    }

    [Fact]
    public void SampleWeightsAgreeOnTheLayerTheLargerClientValues()
    {
        var masks = new StrategicSelector(lambda: 1, sampleWeighting: new ClientWeighting()).Select(WithCounts(TwoViews, [1, 1], [1, 3]));
        Assert.All(masks, mask => Assert.Equal([1], Layers(mask)));
    }

    [Fact]
    public void TheAggregationsCapLimitsWhatADeclaredCountWeighs()
    {
        // capped at 0.55 the shares are 0.45, 0.55 (w = 0.9, 1.1): layer 1 scores 0.95, layer 2 1.05
        var masks = new StrategicSelector(lambda: 1, sampleWeighting: new ClientWeighting(MaxShare: 0.55))
            .Select(WithCounts(TwoViews, [1, 1], [1, 3]));
        Assert.All(masks, mask => Assert.Equal([2], Layers(mask)));
    }

    [Theory]
    [InlineData(StrategicWeighting.Equal, null, 2)]
    [InlineData(StrategicWeighting.Samples, null, 1)]
    [InlineData(StrategicWeighting.Samples, 0.55, 2)]
    public void TheStrategyEntryReadsItsWeightsAndTheRunsCap(StrategicWeighting weights, double? maxClientWeight, int agreedLayer)
    {
        var config = RunConfig.Defaults().With(BuiltInStrategies.Lambda, 1.0).With(BuiltInStrategies.StrategicWeights, weights)
            .With(RunSettings.MaxClientWeight, maxClientWeight);
        var selector = config.Registries.Strategies.Find("strategic").Entry.Create(new StrategyArguments(config, _ => { }));

        var masks = selector.Select(WithCounts(TwoViews, [1, 1], [1, 3]));

        Assert.All(masks, mask => Assert.Equal([agreedLayer], Layers(mask)));
    }

    [Fact]
    public void AtLambdaZeroWeightsLeaveEveryClientItsOwnTopLayers()
    {
        var random = new Random(4);
        var gradients = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray()).ToArray();
        double[] budgets = [.. Enumerable.Range(0, 8).Select(_ => (double)random.Next(1, 4))];
        int[] counts = [.. Enumerable.Range(0, 8).Select(_ => random.Next(1, 1000))];
        var costs = Enumerable.Repeat(1.0, 6).ToList();

        var masks = new StrategicSelector(lambda: 0, sampleWeighting: new ClientWeighting()).Select(WithCounts(gradients, budgets, counts));

        for (int i = 0; i < gradients.Length; i++)
            Assert.Equal(BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(gradients[i]), costs, budgets[i]), masks[i]);
    }

    [Fact]
    public void SampleWeightsWithoutACountPerClientAreRefused()
    {
        var selector = new StrategicSelector(lambda: 1, sampleWeighting: new ClientWeighting());
        Assert.Throws<InvalidOperationException>(() => selector.Select(WithCounts(TwoViews, [1, 1], [])));
    }

    [Fact]
    public void TheFillGivesTheSlotTheSolverLeftEmptyToTheClientsBestRemainingLayer()
    {
        // lambda 100 makes both clients agree on layer 2; client 0's second slot stays empty, since taking a layer alone disagrees
        double[][] gradients = [[0.1, 0.3, 0.6], [0.05, 0.05, 0.9]];
        SelectionSolution? solved = null;
        var context = WithCounts(gradients, [2, 1], [1, 1]);

        var exact = new StrategicSelector(lambda: 100).Select(context);
        var filled = new StrategicSelector(lambda: 100, onSolved: s => solved = s, fillBudget: true).Select(context);

        Assert.All(exact, mask => Assert.Equal([2], Layers(mask)));
        Assert.Equal([1, 2], Layers(filled[0]));
        Assert.Equal([2], Layers(filled[1]));
        // the callback still describes the solve: its masks and their objective, not the filled ones
        Assert.Equal(exact, solved!.Masks);
        Assert.True(solved.IsOptimal);
    }

    [Fact]
    public void TheFillNeverGoesOverABudgetOfFractionalCosts()
    {
        // both agree on layer 2 (cost 0.4); client 0 has 0.35 left: its best layer 0 (0.5) does not fit, layer 1 (0.3) does
        double[][] gradients = [[0.5, 0.1, 0.4], [0.1, 0.2, 0.7]];
        double[] costs = [0.5, 0.3, 0.4], budgets = [0.75, 0.4];

        var masks = new StrategicSelector(lambda: 100, fillBudget: true).Select(WithCounts(gradients, budgets, [1, 1], costs));

        Assert.Equal([1, 2], Layers(masks[0]));
        Assert.Equal([2], Layers(masks[1]));
        for (int i = 0; i < masks.Count; i++) Assert.True(BudgetFill.Fits(masks[i], costs, budgets[i]));
    }

    [Fact]
    public void ATopUpKeepsItsStartAndTakesWhatFitsInOrder()
    {
        bool[] start = [false, false, true, false];
        double[] costs = [0.1, 0.2, 0.3, 0.4];

        // 0.3 used: layer 3 (0.4) does not fit, 0 and 1 do, the last exactly (0.1 + 0.2 + 0.3 = 0.6 up to rounding)
        var mask = BudgetFill.TopUp(start, [3, 0, 1, 2], costs, 0.6);

        Assert.Equal([true, true, true, false], mask);
        Assert.Equal([false, false, true, false], start);
    }
}
