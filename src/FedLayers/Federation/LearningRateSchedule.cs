using static FedLayers.Validation.FieldCheck;

namespace FedLayers.Federation;

/// <summary>
/// The learning rate of each round, from the base rate: every client of a round trains at that
/// round's rate for all of its local steps. Rounds count from 1. Derive from it to bring another schedule.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate of round <paramref name="round"/> (1, 2, ...) for a base rate of <paramref name="baseRate"/>.</summary>
    public abstract double RateAt(double baseRate, int round);

    /// <summary>The base rate in every round.</summary>
    public static LearningRateSchedule Constant { get; } = new Fixed();

    /// <summary>The base rate in every round.</summary>
    public sealed record Fixed : LearningRateSchedule
    {
        /// <inheritdoc/>
        public override double RateAt(double baseRate, int round) => baseRate;
    }

    /// <summary>Cosine annealing from the base rate in round 1 towards <paramref name="MinFactor"/> times it after the last round.</summary>
    /// <param name="Rounds">the run's number of rounds, at least 1.</param>
    /// <param name="MinFactor">the share of the base rate the curve ends at, in [0, 1].</param>
    public sealed record Cosine(int Rounds, double MinFactor = 0) : LearningRateSchedule
    {
        /// <summary>The run's number of rounds.</summary>
        public int Rounds { get; } = AtLeast(Rounds, 1, nameof(Rounds));

        /// <summary>The share of the base rate the curve ends at.</summary>
        public double MinFactor { get; } = InRange(MinFactor, 0, 1, nameof(MinFactor));

        /// <inheritdoc/>
        public override double RateAt(double baseRate, int round)
        {
            double progress = Math.Clamp((round - 1) / (double)Rounds, 0, 1);
            return baseRate * (MinFactor + (1 - MinFactor) * (1 + Math.Cos(Math.PI * progress)) / 2);
        }
    }

    /// <summary>The base rate times <paramref name="Factor"/> after every <paramref name="Every"/> rounds.</summary>
    /// <param name="Every">rounds between two decays, at least 1.</param>
    /// <param name="Factor">the multiplier of each decay, in (0, 1].</param>
    public sealed record Step(int Every, double Factor) : LearningRateSchedule
    {
        /// <summary>Rounds between two decays.</summary>
        public int Every { get; } = AtLeast(Every, 1, nameof(Every));

        /// <summary>The multiplier of each decay.</summary>
        public double Factor { get; } = InRange(Factor, 0, 1, nameof(Factor), minExclusive: true);

        /// <inheritdoc/>
        public override double RateAt(double baseRate, int round) => baseRate * Math.Pow(Factor, Math.Max(0, round - 1) / Every);
    }
}
