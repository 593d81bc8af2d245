namespace AudioPrune.Tests.Reliability;

/// <summary>Seeded random mutations of a valid file: bit flips, byte overwrites, truncation, splices, big integers.</summary>
internal static class FileMutator
{
    public static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(6))
        {
            case 0:
                for (var i = random.Next(1, 8); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                for (var i = random.Next(1, 16); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            case 3:
                // Overwrite the region near the start (headers live there) with a large little-endian integer.
                var at = random.Next(Math.Min(bytes.Length - 8, 256));
                BitConverter.GetBytes(random.NextInt64() | (1L << random.Next(20, 62))).CopyTo(bytes, at);
                return bytes;
            case 4:
                var from = random.Next(bytes.Length);
                var to = random.Next(bytes.Length);
                var length = random.Next(1, Math.Min(64, bytes.Length - Math.Max(from, to)) + 1);
                Array.Copy(valid, from, bytes, to, length);
                return bytes;
            default:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
        }
    }
}
