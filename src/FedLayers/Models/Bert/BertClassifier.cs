using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// A text classifier on a BERT encoder: embeddings -> encoder layers -> mean of the last hidden
/// state over the real tokens (the pooling all-MiniLM-L6-v2 was trained with; it has no
/// parameters) -> a new linear head.
/// <para>
/// Input: token ids [B, T] (int64, T &lt;= max positions). <see cref="LayeredModel"/> takes one
/// tensor, so the attention mask is not passed but derived: <c>mask = ids != PadTokenId</c>
/// (0, "[PAD]", for the BERT uncased vocabulary). Padding must therefore use that id, and only
/// padding may; this holds for what <see cref="WordPieceTextEncoder"/> produces.
/// </para>
/// <para>
/// Parameter names are Hugging Face BertModel's (<c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>)
/// plus <c>head.weight</c>/<c>head.bias</c>. Layer groups: <c>embeddings</c> Fixed;
/// <c>encoder.layer.0</c> .. <c>encoder.layer.{L-1}</c> Selectable; <c>head</c> Common.
/// The head is initialised by TorchSharp's default (seeded by <c>torch.manual_seed</c>, which the
/// caller sets); load the encoder weights with <see cref="BertWeights.Load"/>.
/// </para>
/// </summary>
public sealed class BertClassifier : LayeredModel
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly Linear head;

    /// <summary>A classifier with TorchSharp's default initialisation throughout; load the encoder's weights afterwards.</summary>
    /// <param name="config">The encoder's shape.</param>
    /// <param name="numClasses">The number of classes, at least 2.</param>
    /// <param name="maxSeqLen">the sequence length the FLOP counts of the groups are stated for
    /// (inputs may be shorter or longer, up to the config's max positions).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> or <paramref name="maxSeqLen"/> is out of range.</exception>
    /// <exception cref="UserInputException"><paramref name="config"/> is invalid.</exception>
    public BertClassifier(BertConfig config, int numClasses, int maxSeqLen) : base("bert-classifier")
    {
        config.Validate("BertConfig");
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "a classifier needs at least 2 classes");
        if (maxSeqLen < 1 || maxSeqLen > config.MaxSequenceLength)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLen), maxSeqLen, $"expected 1..{config.MaxSequenceLength} (the model's position embeddings)");
        Config = config;
        NumClasses = numClasses;
        MaxSeqLen = maxSeqLen;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        head = nn.Linear(config.HiddenSize, numClasses);
        RegisterComponents();
    }

    /// <summary>The encoder's shape.</summary>
    public BertConfig Config { get; }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    /// <summary>The sequence length the groups' FLOPs per sample are counted for.</summary>
    public int MaxSeqLen { get; }

    /// <summary>Group 0 reads token ids [B, T] (int64; <see cref="BertConfig.PadTokenId"/> marks padding) and
    /// derives the attention mask that the later groups carry along; the head gives logits [B, classes].</summary>
    protected override GroupActivation RunGroup(int group, GroupActivation input)
    {
        if (group == 0) return Embed(input.Hidden);
        var mask = input.AttentionMask ?? throw new ArgumentException($"group {group} needs the attention mask that group 0 derives");
        return group <= Config.NumHiddenLayers
            ? input with { Hidden = encoder.Layer(group - 1, input.Hidden, mask) }
            : new GroupActivation(head.forward(MeanPool(input.Hidden, mask)));
    }

    private GroupActivation Embed(Tensor inputIds)
    {
        if (inputIds.dim() != 2 || inputIds.dtype != ScalarType.Int64)
            throw new ArgumentException($"expected token ids [batch, tokens] of type Int64, got {inputIds.dtype} [{string.Join(", ", inputIds.shape)}]");
        return new GroupActivation(embeddings.forward(inputIds), inputIds.ne(Config.PadTokenId));
    }

    /// <summary>Mean of <paramref name="hidden"/> [B, T, H] over the tokens where <paramref name="mask"/> [B, T] is set.</summary>
    public static Tensor MeanPool(Tensor hidden, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weights = mask.to_type(hidden.dtype).unsqueeze(-1);
        // clamp: a row without real tokens pools to zeros instead of 0/0
        return ((hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9)).MoveToOuterDisposeScope();
    }

    /// <summary><c>embeddings</c> (Fixed), one Selectable group per encoder layer, <c>head</c> (Common); FLOPs per sample at <see cref="MaxSeqLen"/> tokens.</summary>
    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        // embedding lookups, additions and LayerNorm are element-wise: no FLOPs by FlopCount's convention
        var plan = new LayerGroupPlan().Add("embeddings", LayerRole.Fixed, 0, "embeddings");
        for (int i = 0; i < Config.NumHiddenLayers; i++)
            plan.Add($"encoder.layer.{i}", LayerRole.Selectable, BertLayer.Flops(Config, MaxSeqLen), $"encoder.layer.{i}");
        return plan.Add("head", LayerRole.Common, FlopCount.Linear(Config.HiddenSize, NumClasses), "head").Build(this);
    }
}
