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
    public void LayerBudgetsIgnoreTheCostsAndUseTheDefaultRangeWhenNoneIsGiven()
    {
        var budgets = FederationSetup.BudgetsOf(RunConfig.Defaults().With(RunSettings.Clients, 30).With(RunSettings.Seed, 9), [100, 300, 600]);
        Assert.Equal(ClientBudgets.Draw(9, 30, BudgetRange.DefaultMinLayers, BudgetRange.DefaultMaxLayers).Select(b => (double)b), budgets);
    }
}
