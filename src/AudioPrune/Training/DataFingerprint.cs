using AudioPrune.Data;

namespace AudioPrune.Training;

/// <summary>
/// A cheap identity of the training and validation splits (sizes, labels, clip ids and the first examples'
/// values): a resumed run refuses different data, which would silently break exact continuation.
/// </summary>
internal static class DataFingerprint
{
    private const int ExamplesSampled = 8;

    public static string Of(IExampleSet train, IExampleSet validation) =>
        $"{Hash(train):x16}-{Hash(validation):x16}";

    private static ulong Hash(IExampleSet set)
    {
        var hash = 14695981039346656037UL;
        void Add(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        }
        Add(BitConverter.GetBytes(set.Count));
        for (var i = 0; i < set.Count; i++)
        {
            Add(BitConverter.GetBytes(set.Label(i)));
            Add(System.Text.Encoding.UTF8.GetBytes(set.ClipId(i)));
        }
        var values = new float[set.ExampleShape.Elements];
        for (var i = 0; i < Math.Min(ExamplesSampled, set.Count); i++)
        {
            set.CopyFeatures(i, values);
            Add(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return hash;
    }
}
