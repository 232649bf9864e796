namespace FedLayers.Data;

/// <summary>
/// Labelled texts before tokenisation: a text model turns them into a <see cref="LabeledDataset"/>
/// of token ids with its own tokenizer (<see cref="ITextEncoder"/>).
/// </summary>
/// <param name="Texts">The texts, one per sample.</param>
/// <param name="Labels">Per text, its class index into <paramref name="ClassNames"/>.</param>
/// <param name="Domains">per text, an optional grouping such as a language or a source (null when absent).</param>
/// <param name="ClassNames">The names of the classes, in label order.</param>
public sealed record TextCorpus(IReadOnlyList<string> Texts, long[] Labels, IReadOnlyList<string?> Domains, IReadOnlyList<string> ClassNames)
{
    /// <summary>The number of texts.</summary>
    public int Count => Texts.Count;

    /// <summary>A new corpus of the texts at <paramref name="indices"/>, in that order, with the same class names.</summary>
    public TextCorpus Select(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Texts[i]).ToList(), indices.Select(i => Labels[i]).ToArray(), indices.Select(i => Domains[i]).ToList(), ClassNames);

    /// <summary>Tokenises every text into one [N, sequence length] tensor of ids.</summary>
    public LabeledDataset Encode(ITextEncoder encoder) => new(encoder.Encode(Texts), Labels, ClassNames);

    /// <summary>A seeded split that keeps each class's share: <paramref name="testShare"/> of every class goes to the test part.</summary>
    public (TextCorpus Train, TextCorpus Test) StratifiedSplit(double testShare, Random random)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < ClassNames.Count; c++)
        {
            var members = Enumerable.Range(0, Count).Where(i => Labels[i] == c).ToArray();
            random.Shuffle(members);
            int testCount = (int)Math.Round(members.Length * testShare);
            test.AddRange(members[..testCount]);
            train.AddRange(members[testCount..]);
        }
        return (Select(train.Order().ToList()), Select(test.Order().ToList()));
    }
}
