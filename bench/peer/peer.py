"""The PyTorch side of bench/peer.sh: the rounds of bench/FedLayers.TrainingBench's `peer` mode, written as an eager PyTorch
user would write them (plain nn.Modules, frozen parameters with requires_grad off, torch.optim.SGD), each timed.

    /usr/bin/python3 bench/peer/peer.py minilm|resnet18 top1|full ROUNDS

Prints the groups the first client trained, then `seconds: s1 s2 ...`, one figure per round.
"""
import math
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F
from torchvision.models.resnet import BasicBlock, ResNet


# --- MiniLM: all-MiniLM-L6-v2's shape as FedLayers builds it (Hugging Face BERT names, mean pooling, a linear head) ---

class Config:
    vocab_size = 30522
    hidden_size = 384
    num_hidden_layers = 6
    num_attention_heads = 12
    intermediate_size = 1536
    max_position_embeddings = 512
    type_vocab_size = 2
    layer_norm_eps = 1e-12
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.0  # FedLayers' MiniLm.Config turns it off
    pad_token_id = 0


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.token_type_embeddings(torch.zeros_like(ids)) + self.position_embeddings(positions)
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def forward(self, hidden, key_mask):
        b, t, h = hidden.shape
        split = lambda x: x.view(b, t, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.query(hidden)), split(self.key(hidden)), split(self.value(hidden))
        # torch 1.13 has no fused scaled_dot_product_attention: the product spelled out, as Hugging Face's BERT does
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + key_mask
        context = self.dropout(scores.softmax(-1)) @ v
        return context.transpose(1, 2).reshape(b, t, h)


class BertResidualOutput(nn.Module):
    def __init__(self, c, input_width):
        super().__init__()
        self.dense = nn.Linear(input_width, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = BertSelfAttention(c)
        self.attention.output = BertResidualOutput(c, c.hidden_size)
        self.intermediate = nn.Linear(c.hidden_size, c.intermediate_size)
        self.output = BertResidualOutput(c, c.intermediate_size)

    def forward(self, hidden, key_mask):
        attended = self.attention.output(self.attention.self(hidden, key_mask), hidden)
        return self.output(F.gelu(self.intermediate(attended)), attended)


class BertClassifier(nn.Module):
    def __init__(self, c, num_classes):
        super().__init__()
        self.pad = c.pad_token_id
        self.embeddings = BertEmbeddings(c)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(BertLayer(c) for _ in range(c.num_hidden_layers))
        self.head = nn.Linear(c.hidden_size, num_classes)

    def forward(self, ids):
        mask = ids.ne(self.pad)
        x = self.embeddings(ids)
        key_mask = torch.zeros(mask.shape, dtype=x.dtype).masked_fill(~mask, torch.finfo(x.dtype).min)[:, None, None, :]
        for layer in self.encoder.layer:
            x = layer(x, key_mask)
        weights = mask.to(x.dtype).unsqueeze(-1)
        return self.head((x * weights).sum(1) / weights.sum(1).clamp_min(1e-9))

    def groups(self):
        """FedLayers' layer groups, input to output: (name, the modules it owns, role)."""
        return ([("embeddings", ["embeddings"], "fixed")]
                + [(f"encoder.layer.{i}", [f"encoder.layer.{i}"], "selectable") for i in range(len(self.encoder.layer))]
                + [("head", ["head"], "common")])


# --- ResNet18: FedLayers' packaged one has 2, 2, 2, 3 basic blocks; torchvision's stem gives the same sizes at 32 px ---

def resnet18_groups(model):
    blocks = [(f"layer{s}.{b}", [f"layer{s}.{b}"], "selectable") for s in range(1, 5) for b in range(len(getattr(model, f"layer{s}")))]
    return [("stem", ["conv1", "bn1"], "fixed")] + blocks + [("head", ["fc"], "common")]


def build(shape):
    """The model, its groups, the training data, the number of clients, local epochs and batch size."""
    generator = torch.Generator().manual_seed(3)
    if shape == "minilm":
        model = BertClassifier(Config, 2)
        ids = torch.randint(1000, Config.vocab_size, (64, 64), generator=generator)
        ids[:, 0], ids[:, -1] = 101, 102  # [CLS] ... [SEP]
        return model, model.groups(), ids, torch.arange(64) % 2, 2, 2, 16
    if shape == "resnet18":
        model = ResNet(BasicBlock, [2, 2, 2, 3], num_classes=10)
        return model, resnet18_groups(model), torch.randn(1600, 3, 32, 32, generator=generator), torch.arange(1600) % 10, 5, 1, 32
    raise SystemExit(f"unknown shape {shape!r}: expected minilm or resnet18")


def main(shape, arm, rounds):
    torch.set_num_threads(2)
    torch.manual_seed(1)
    model, groups, inputs, labels, clients, epochs, batch_size = build(shape)
    selectable = [name for name, _, role in groups if role == "selectable"]
    chosen = {"top1": selectable[-1:], "full": selectable}[arm]
    trained = [m for name, modules, role in groups if role == "common" or name in chosen for m in modules]
    frozen = [m for name, modules, role in groups if not (role == "common" or name in chosen) for m in modules]
    trained_keys = [k for k in model.state_dict() if any(k.startswith(m + ".") for m in trained)]
    global_state = {k: v.clone() for k, v in model.state_dict().items()}
    per_client = len(labels) // clients
    shards = [torch.arange(c * per_client, (c + 1) * per_client) for c in range(clients)]

    def fit(shard):
        model.load_state_dict(global_state)
        model.requires_grad_(True).train()
        for name in frozen:  # frozen modules in eval mode: no dropout, batch norm statistics as they are
            model.get_submodule(name).requires_grad_(False).eval()
        optimizer = torch.optim.SGD([p for m in trained for p in model.get_submodule(m).parameters()], lr=0.01)
        for _ in range(epochs):
            order = shard[torch.randperm(len(shard))]
            for batch in order.split(batch_size):
                optimizer.zero_grad()
                F.cross_entropy(model(inputs[batch]), labels[batch]).backward()
                optimizer.step()
        with torch.no_grad():
            state = model.state_dict()
            return {k: state[k] - global_state[k] for k in trained_keys}

    print("trained:", ", ".join(name for name, _, role in groups if role == "common" or name in chosen))
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        deltas = [(fit(shard), len(shard)) for shard in shards]
        total = sum(n for _, n in deltas)
        with torch.no_grad():
            for k in trained_keys:
                mean = sum(d[k].double() * (n / total) for d, n in deltas)
                global_state[k] += mean.to(global_state[k].dtype) if global_state[k].is_floating_point() else mean.round().long()
        seconds.append(time.perf_counter() - start)
    print("seconds:", " ".join(f"{s:.4f}" for s in seconds))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: peer.py minilm|resnet18 top1|full ROUNDS")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
