using FedLayers.Federation;
using FedLayers.Setup;

namespace FedLayers.Tests.Federation;

public class ClientBudgetsTests
{
    [Fact]
    public void BudgetsStayInRangeCoverItAndFavourTheMiddle()
    {
        var budgets = ClientBudgets.Draw(42, 4000, 1, 4);
        Assert.All(budgets, b => Assert.InRange(b, 1, 4));
        var counts = Enumerable.Range(1, 4).Select(b => budgets.Count(x => x == b)).ToArray();
        Assert.All(counts, c => Assert.True(c > 200, "every budget in range should occur"));
        Assert.True(counts[1] > counts[0] && counts[2] > counts[3], "the middle budgets should be the most common");
    }

    [Fact]
    public void TheSameSeedGivesTheSameBudgets()
    {
        Assert.Equal(ClientBudgets.Draw(5, 50, 1, 4), ClientBudgets.Draw(5, 50, 1, 4));
        Assert.NotEqual(ClientBudgets.Draw(5, 50, 1, 4), ClientBudgets.Draw(6, 50, 1, 4));
    }

    [Fact]
    public void EqualMinAndMaxGivesThatBudgetToEveryone() => Assert.All(ClientBudgets.Draw(1, 20, 3, 3), b => Assert.Equal(3, b));

    [Fact]
    public void TheCentredDrawIsTheDrawOfBefore() =>
        // the outputs of ClientBudgets.Draw(42, 20, 1, 4) before --budget-distribution existed: the default must not move them
        Assert.Equal([4, 2, 4, 3, 1, 3, 3, 4, 3, 3, 2, 2, 3, 3, 3, 2, 3, 2, 3, 4], ClientBudgets.Draw(42, 20, 1, 4));

    [Fact]
    public void ReferenceSharesAreTheTruncatedNormalsMassesPerBudget()
    {
        // Φ at the bin edges of N(1, 1), from a normal table: budget k takes x in [k-0.5, k+0.5), i.e. z in [k-1.5, k-0.5)
        double[] phi = [0.3085375387, 0.6914624613, 0.9331927987, 0.9937903347, 0.9997673709]; // Φ(-0.5), Φ(0.5) .. Φ(3.5)
        var expected = Enumerable.Range(0, 4).Select(k => (phi[k + 1] - phi[k]) / (phi[4] - phi[0])).ToArray(); // 55.4, 35.0, 8.8, 0.9 %
        const int clients = 10_000;
        var budgets = ClientBudgets.DrawReference(42, clients, 1, 4);
        for (int k = 0; k < 4; k++)
        {
            double share = budgets.Count(b => b == k + 1) / (double)clients;
            // 5 standard deviations of a share among 10,000 draws: a correct sampler misses by that much with
            // probability below 6e-7 for any seed, while a wrong shape (the centred draw's 16/34/34/16 %) misses by far more
            double tolerance = 5 * Math.Sqrt(expected[k] * (1 - expected[k]) / clients);
            Assert.InRange(share, expected[k] - tolerance, expected[k] + tolerance);
        }
    }

    [Fact]
    public void ReferenceBudgetsCoverTheRangeWithTheModeAtItsLowEnd()
    {
        var budgets = ClientBudgets.DrawReference(3, 2000, 2, 5);
        var counts = Enumerable.Range(2, 4).Select(b => budgets.Count(x => x == b)).ToArray();
        Assert.Equal(2000, counts.Sum());
        Assert.True(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[3] && counts[3] > 0, string.Join(", ", counts));
        Assert.Equal(budgets, ClientBudgets.DrawReference(3, 2000, 2, 5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
    public void ReferenceWithEqualMinAndMaxGivesThatBudgetToEveryone(int budget) =>
        Assert.All(ClientBudgets.DrawReference(1, 20, budget, budget), b => Assert.Equal(budget, b));

    [Theory]
    [InlineData(20, 24)]
    [InlineData(60, 64)]
    public void ReferenceRangesFarInTheTailGiveTheirLowEnd(int min, int max) =>
        // redrawing x ~ N(1, 1) would need about 1e76 draws per client to reach 19.5; budget min+1 is e^-(min-0.5) times
        // as likely as min (below 1e-8 here), so 1000 clients all get min
        Assert.All(ClientBudgets.DrawReference(7, 1000, min, max), b => Assert.Equal(min, b));

    [Fact]
    public void FractionsStayInRangeAreContinuousAndFavourTheMiddle()
    {
        var fractions = ClientBudgets.DrawFractions(42, 4000, 0.1, 0.5);
        Assert.All(fractions, f => Assert.InRange(f, 0.1, 0.5));
        Assert.True(fractions.Distinct().Count() > 3900, "fractions are drawn, not rounded");
        Assert.InRange(fractions.Average(), 0.29, 0.31);
        int middle = fractions.Count(f => f is >= 0.25 and < 0.35), ends = fractions.Count(f => f is < 0.15 or >= 0.45);
        Assert.True(middle > 3 * ends, $"{middle} in the middle fifth of the range, {ends} in the outer fifths");
        Assert.True(ends > 0, "both ends of the range should be reachable");
    }

    [Fact]
    public void TheSameSeedGivesTheSameFractions()
    {
        Assert.Equal(ClientBudgets.DrawFractions(5, 50, 0.1, 0.4), ClientBudgets.DrawFractions(5, 50, 0.1, 0.4));
        Assert.NotEqual(ClientBudgets.DrawFractions(5, 50, 0.1, 0.4), ClientBudgets.DrawFractions(6, 50, 0.1, 0.4));
    }

    [Fact]
    public void EqualMinAndMaxFractionGivesThatFractionToEveryone() =>
        Assert.All(ClientBudgets.DrawFractions(1, 20, 0.3, 0.3), f => Assert.Equal(0.3, f));

    [Fact]
    public void CostBudgetsAreFractionsOfTheSelectableTotal()
    {
        double[] costs = [100, 300, 600];
        var config = RunConfig.Defaults()
            .With(RunSettings.Cost, LayerCosts.Params)
            .With(RunSettings.Clients, 30)
            .With(RunSettings.MinBudget, 0.2)
            .With(RunSettings.MaxBudget, 0.6)
            .With(RunSettings.Seed, 9);
        var budgets = FederationSetup.BudgetsOf(config, costs);
        Assert.Equal(ClientBudgets.DrawFractions(9, 30, 0.2, 0.6).Select(f => f * 1000), budgets);
        Assert.All(budgets, b => Assert.InRange(b, 200, 600));
    }

    [Fact]
    public void ReferenceLayerBudgetsAreDrawnAroundOne()
    {
        var config = RunConfig.Defaults().With(RunSettings.Clients, 30).With(RunSettings.Seed, 9)
            .With(RunSettings.BudgetDistribution, ClientBudgetDistribution.Reference);
        Assert.Equal(ClientBudgets.DrawReference(9, 30, BudgetRange.DefaultMinLayers, BudgetRange.DefaultMaxLayers).Select(b => (double)b),
            FederationSetup.BudgetsOf(config, [100, 300, 600]));
    }

    [Fact]
    public void ConfigJsonRecordsTheDefaultDistribution() =>
        Assert.Equal("centred", (string?)RunConfigJson.ToJson(RunConfig.Defaults())["budget-distribution"]);

    [Fact]
    public void LayerBudgetsIgnoreTheCostsAndUseTheDefaultRangeWhenNoneIsGiven()
    {
        var budgets = FederationSetup.BudgetsOf(RunConfig.Defaults().With(RunSettings.Clients, 30).With(RunSettings.Seed, 9), [100, 300, 600]);
        Assert.Equal(ClientBudgets.Draw(9, 30, BudgetRange.DefaultMinLayers, BudgetRange.DefaultMaxLayers).Select(b => (double)b), budgets);
    }
}
