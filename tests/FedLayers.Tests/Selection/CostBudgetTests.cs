using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

/// <summary>The order-based strategies under budgets in a cost unit (params or FLOPs) rather than layers.</summary>
public class CostBudgetTests
{
    /// <summary>Random layer costs spanning two orders of magnitude, budgets from a tenth to all of the
    /// total, and random probe scores.</summary>
    private static SelectionContext RandomCostContext(int seed, int clients = 6, int layers = 8)
    {
        var random = new Random(seed);
        var costs = Enumerable.Range(0, layers).Select(_ => Math.Round(Math.Pow(10, 3 + 2 * random.NextDouble()))).ToArray();
        var budgets = Enumerable.Range(0, clients).Select(_ => costs.Sum() * (0.1 + 0.9 * random.NextDouble())).ToArray();
        double[] Scores() => Enumerable.Range(0, layers).Select(_ => random.NextDouble()).ToArray();
        var probes = budgets.Select(_ => Probe(Scores(), Scores(), Scores())).ToList();
        return Context(budgets, layers, probes, costs);
    }

    /// <summary>Within the budget, and full: every layer left out would no longer fit. Taking layers in
    /// order while they fit ends like this whatever the order.</summary>
    private static void AssertFilledWithinBudget(bool[] mask, IReadOnlyList<double> costs, double budget)
    {
        double used = BudgetFill.Cost(mask, costs);
        Assert.True(used <= budget, $"cost {used} exceeds budget {budget}");
        for (int l = 0; l < mask.Length; l++)
            Assert.True(mask[l] || used + costs[l] > budget, $"layer {l} (cost {costs[l]}) still fits: {used} of {budget} used");
    }

    [Theory]
    [InlineData("top")]
    [InlineData("bottom")]
    [InlineData("both")]
    [InlineData("rgn")]
    [InlineData("snr")]
    public void MasksStayWithinCostBudgetsAndLeaveNoAffordableLayerOut(string strategy)
    {
        var selector = Strategy(strategy);
        for (int seed = 0; seed < 20; seed++)
        {
            var context = RandomCostContext(seed);
            var masks = selector.Select(context);
            for (int i = 0; i < context.ClientCount; i++)
                AssertFilledWithinBudget(masks[i], context.LayerCosts, context.Budgets[i]);
        }
    }

    [Fact]
    public void BothSkipsAnExpensiveLayerAndTakesTheNextInItsOrder()
    {
        // order 0, 4, 1, 3, 2: layer 4 does not fit after layer 0, so 1 and 3 follow
        var masks = new BothSelector().Select(Context([10], 5, costs: [4, 3, 3, 3, 7]));
        Assert.Equal([0, 1, 3], Layers(masks[0]));
    }

    [Fact]
    public void ScoreStrategiesPassOverTheBestLayerWhenItCostsTooMuch()
    {
        var probes = new[] { Probe([0, 0, 0], snr: [0.9, 0.5, 0.1]) };
        var masks = new SnrSelector().Select(Context([5], 3, probes, costs: [8, 3, 2]));
        Assert.Equal([1, 2], Layers(masks[0]));
    }

    [Fact]
    public void ABudgetBelowTheCheapestLayerSelectsNothing()
    {
        foreach (var strategy in new[] { "top", "bottom", "both", "rgn", "snr" })
            Assert.Empty(Layers(Strategy(strategy).Select(Context([99], 3, [Probe([1, 2, 3], [1, 2, 3], [1, 2, 3])], [100, 200, 300]))[0]));
    }

    [Fact]
    public void ReuseRoundsRefillAMaskThatNoLongerFitsByCost()
    {
        bool[] Mask(params int[] on) => Enumerable.Range(0, 4).Select(on.Contains).ToArray();
        // client 7's old mask costs 11 > 6; client 8 is new. Popularity: layer 3 (twice), then 1 and 0.
        var context = new SelectionContext(2, [7, 8], [6, 9], [5, 1, 2, 6],
            new Dictionary<int, bool[]> { [7] = Mask(0, 3) }, () => throw new InvalidOperationException("no probe on reuse rounds"));
        var masks = MaskReuse.Reuse(context, [Mask(1, 3), Mask(0, 3)]);
        Assert.Equal([3], Layers(masks[0]));
        Assert.Equal([1, 3], Layers(masks[1]));
    }

    [Fact]
    public void FullTrainsEveryLayerWhateverItCosts()
    {
        var masks = new FullSelector().Select(Context([1], 3, costs: [100, 200, 300]));
        Assert.Equal([0, 1, 2], Layers(masks[0]));
    }

    private static ILayerSelector Strategy(string name) =>
        FedLayers.Setup.Registries.BuiltIn().Strategies.Find(name).Entry.Create(new FedLayers.Setup.StrategyArguments(FedLayers.Setup.RunConfig.Defaults(), _ => { }));
}
