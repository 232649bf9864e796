using FedLayers.Privacy;

namespace FedLayers.Federation;

/// <summary>
/// What the server needs to account for the privacy a run spends. Every round releases the noisy layer sums; a round that
/// selects with a private probe (<see cref="PrivateProbe"/>) also releases the noisy probe sum, computed on the same Poisson
/// sample. Given the sample, the two are adaptively composed Gaussian mechanisms with sensitivity 1 in units of their noise,
/// which together are one Gaussian mechanism of noise multiplier (1/z^2 + 1/z_probe^2)^(-1/2) (Gaussian differential
/// privacy composes so, Dong, Roth and Su 2022); the round is that mechanism on a Poisson sample (docs/PRIVACY.md).
/// </summary>
/// <param name="SamplingRate">q, each client's probability of taking part in a round (Poisson sampling).</param>
/// <param name="NoiseMultiplier">z, the layer sums' noise over the clip norm.</param>
/// <param name="Delta">the delta the epsilon is reported for, in (0, 1).</param>
/// <param name="EpsilonBudget">the run stops before a round that would take epsilon above this; null: no budget.</param>
/// <param name="ProbeNoiseMultiplier">z_probe, the private probe's noise (<see cref="PrivateProbe.NoiseMultiplier"/>); null: no probe is released.</param>
public sealed record PrivacyAccounting(double SamplingRate, double NoiseMultiplier, double Delta, double? EpsilonBudget,
    double? ProbeNoiseMultiplier = null)
{
    /// <summary>The noise multiplier of one round as a single Gaussian mechanism: z, or the composition with the probe's when it probed.</summary>
    public double RoundNoiseMultiplier(bool probed) =>
        probed && ProbeNoiseMultiplier is { } probe ? 1 / Math.Sqrt(1 / (NoiseMultiplier * NoiseMultiplier) + 1 / (probe * probe)) : NoiseMultiplier;

    /// <summary>The epsilon, at <see cref="Delta"/>, of a run whose rounds are <paramref name="probedRounds"/>: one entry per
    /// round, true when it released a probe. Privacy spent is a function of these alone, so a resumed run needs nothing more.</summary>
    public double EpsilonAfter(IEnumerable<bool> probedRounds)
    {
        var accountant = new RdpAccountant();
        foreach (var rounds in probedRounds.GroupBy(probed => probed))
            accountant.Add(SamplingRate, RoundNoiseMultiplier(rounds.Key), rounds.Count());
        return accountant.Epsilon(Delta).Epsilon;
    }
}
