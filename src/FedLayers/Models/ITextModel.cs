using FedLayers.Data;

namespace FedLayers.Models;

/// <summary>A model that reads token ids and brings the tokenizer that makes them.</summary>
public interface ITextModel
{
    ITextEncoder TextEncoder { get; }
}
