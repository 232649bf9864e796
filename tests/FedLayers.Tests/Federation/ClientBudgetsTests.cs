using FedLayers.Federation;

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
}
