namespace FedLayers.Federation;

/// <summary>The round loop's settings.</summary>
/// <param name="SelectEvery">masks are chosen by the strategy every this many rounds and reused in between.</param>
/// <param name="ProbeBatches">mini-batches per gradient probe.</param>
/// <param name="Diagnostics">probe every round for the theory's selection terms, also when the
/// strategy does not probe; the probe reads the global weights and changes nothing.</param>
public sealed record ServerOptions(int Rounds, int ClientsPerRound, int SelectEvery, int ProbeBatches, int Seed, bool Diagnostics = false);
