using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Short SHA-256 fingerprints: of the architecture (graph JSON, input shape included), which a plan must match,
/// and of the weights, which tells whether kept sets computed from them still describe this model.
/// </summary>
internal static class NetworkFingerprint
{
    public static string Of(NetworkGraph graph) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GraphJson.Serialize(graph))))[..16];

    public static string OfWeights(WeightMap weights)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in weights.Entries)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
