namespace FedLayers.Models.Bert;

/// <summary>Checks that a checkpoint's tokenizer fits its config.json: the same padding id, and no id
/// beyond the embedding table.</summary>
internal static class TokenizerFit
{
    /// <param name="vocabularyFile">the tokenizer file, named in messages.</param>
    /// <param name="padToken">the tokenizer's padding token, e.g. "[PAD]" or "&lt;pad&gt;".</param>
    /// <param name="padId">its id in the tokenizer.</param>
    /// <param name="idCount">the number of ids the tokenizer can produce.</param>
    /// <param name="config">the encoder shape read from the checkpoint's config.json.</param>
    /// <param name="configFile">the config.json, named in messages.</param>
    /// <exception cref="UserInputException">The pad ids differ or the tokenizer has more ids than the embedding rows.</exception>
    public static void Require(string vocabularyFile, string padToken, int padId, int idCount, BertConfig config, string configFile)
    {
        if (padId != config.PadTokenId)
            throw new UserInputException($"{vocabularyFile}: '{padToken}' has id {padId}, but {configFile} says pad_token_id {config.PadTokenId}");
        if (idCount > config.VocabSize)
            throw new UserInputException($"{vocabularyFile}: {idCount} token ids, more than vocab_size {config.VocabSize} in {configFile}");
    }
}
