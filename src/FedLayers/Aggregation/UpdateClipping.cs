using FedLayers.Validation;
using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>
/// Bounds one client's influence in norm: its whole update (every floating-point tensor of every layer it
/// trained, jointly) is scaled down to an L2 norm of at most the clip norm. Integer tensors (batch counts)
/// carry no gradient information and are left alone.
/// </summary>
public static class UpdateClipping
{
    /// <summary>The joint L2 norm of the floating-point tensors, computed in float64.</summary>
    public static double Norm(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        double squares = tensors.Where(t => t.is_floating_point()).Sum(t => t.to_type(ScalarType.Float64).square().sum().item<double>());
        return Math.Sqrt(squares);
    }

    /// <summary>Scales the floating-point tensors in place so that their joint norm is at most <paramref name="maxNorm"/>.</summary>
    /// <returns>the factor applied: 1 when the norm was within the bound.</returns>
    public static double ClipInPlace(IReadOnlyCollection<Tensor> tensors, double maxNorm)
    {
        FieldCheck.AboveZero(maxNorm, nameof(maxNorm));
        double norm = Norm(tensors);
        if (norm <= maxNorm) return 1;
        double scale = maxNorm / norm;
        using var _ = no_grad();
        foreach (var tensor in tensors.Where(t => t.is_floating_point())) tensor.mul_(scale);
        return scale;
    }
}
