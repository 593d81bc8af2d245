using System.Buffers.Binary;
using System.Text;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;

namespace AudioPrune.Tests.Graph;

public sealed class ArtifactTests
{
    [Fact]
    public void SaveLoadRoundTripIsExact()
    {
        using var dir = new TempDirectory();
        var original = ModelLoader.Load("dcase21", seed: 7).WithMetadata(ModelArtifact.TrainingKey, "{\"epoch\":3}");
        var path = dir.File("m.safetensors");
        original.Save(path);

        var loaded = ModelArtifact.Load(path);
        Assert.Equal(GraphJson.Serialize(original.Graph), GraphJson.Serialize(loaded.Graph));
        Assert.Equal(original.Labels, loaded.Labels);
        Assert.Equal("{\"epoch\":3}", loaded.Metadata[ModelArtifact.TrainingKey]);
        Assert.Equal(original.Weights.Names, loaded.Weights.Names);
        foreach (var name in original.Weights.Names)
        {
            Assert.Equal(original.Weights[name].Shape, loaded.Weights[name].Shape);
            Assert.Equal(original.Weights[name].Data, loaded.Weights[name].Data);   // bitwise
        }
    }

    [Fact]
    public void SavedFileIsStandardSafetensors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        ModelLoader.Load("dcase21").Save(path);
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.Contains("\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[16,1,7,7],\"data_offsets\":[0,3136]}", header);
        Assert.Equal(8 + headerLength + 46_246 * 4, bytes.Length);
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        var a = ModelLoader.Load("dcase21", seed: 1).Weights["conv2.weight"].Data;
        var b = ModelLoader.Load("dcase21", seed: 1).Weights["conv2.weight"].Data;
        var c = ModelLoader.Load("dcase21", seed: 2).Weights["conv2.weight"].Data;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TruncatedFileIsAUserErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        ModelLoader.Load("dcase21").Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<UserInputException>(() => ModelArtifact.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("truncated", e.Message);

        File.WriteAllBytes(path, bytes[..5]);
        Assert.Contains("shorter than the 8-byte header", Assert.Throws<UserInputException>(() => ModelArtifact.Load(path)).Message);
    }

    [Fact]
    public void ForeignSafetensorsWithoutGraphIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("plain.safetensors");
        var weights = new WeightMap { ["w"] = TensorData.Filled(1f, 2, 2) };
        SafetensorsFile.Write(path, weights, new Dictionary<string, string>());
        Assert.Equal(4f, SafetensorsFile.Read(path).Tensors["w"].Data.Sum());
        Assert.Contains("without an AudioPrune graph", Assert.Throws<UserInputException>(() => ModelArtifact.Load(path)).Message);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", "needs 16 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", "unsupported dtype")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", "shape")]
    [InlineData("not json", "not valid JSON")]
    public void HostileHeadersAreRefusedBeforeAllocating(string header, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + headerBytes.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<UserInputException>(() => SafetensorsFile.Read(path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void NonFiniteWeightsAreRefusedWithTheTensorName()
    {
        var artifact = ModelLoader.Load("dcase21");
        artifact.Weights["conv3.weight"].Data[5] = float.NaN;
        using var dir = new TempDirectory();
        var e = Assert.Throws<UserInputException>(() => artifact.Save(dir.File("m.safetensors")));
        Assert.Contains("conv3.weight", e.Message);
        Assert.False(File.Exists(dir.File("m.safetensors")));
    }

    [Fact]
    public void ATensorLargerThanTheReaderCanHoldIsRefusedNamingIt()
    {
        const long tensorBytes = 3L << 30;
        var header = Encoding.UTF8.GetBytes($"{{\"big\": {{\"dtype\": \"U8\", \"shape\": [{tensorBytes}], \"data_offsets\": [0, {tensorBytes}]}}}}");
        var prefix = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        header.CopyTo(prefix, 8);
        using var stream = new DeclaredLengthStream(prefix, prefix.Length + tensorBytes);
        var e = Assert.Throws<UserInputException>(() => SafetensorsFile.Read(stream, "big.safetensors"));
        Assert.Contains("big.safetensors", e.Message);
        Assert.Contains("tensor 'big' is 3,221,225,472 bytes", e.Message);
    }

    [Fact]
    public void ARepeatedTensorNameIsRefused()
    {
        var header = Encoding.UTF8.GetBytes("""{"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}""");
        var bytes = new byte[8 + header.Length + 1];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        var e = Assert.Throws<UserInputException>(() => SafetensorsFile.Read(new MemoryStream(bytes), "dup.safetensors"));
        Assert.StartsWith("dup.safetensors: not a valid safetensors file", e.Message);
        Assert.Contains("'w'", e.Message);
    }

    /// <summary>A stream that holds <c>prefix</c> and claims to be <c>length</c> bytes long (reads past the prefix give zeros).</summary>
    private sealed class DeclaredLengthStream(byte[] prefix, long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            for (var i = 0; i < n; i++) buffer[offset + i] = Position + i < prefix.Length ? prefix[Position + i] : (byte)0;
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
