using AudioPrune.Audio;

namespace AudioPrune.Tests.Audio;

public sealed class ResamplerTests
{
    [Theory]
    [InlineData(48000, 44100, 1000.0)]
    [InlineData(22050, 44100, 5000.0)]
    [InlineData(44100, 16000, 3000.0)]
    [InlineData(44100, 32000, 12000.0)]
    [InlineData(8000, 7919, 1500.0)] // a ratio too fine for the polyphase table: evaluated directly
    public void Pass_band_tones_come_out_as_the_same_tone_at_the_new_rate(int from, int to, double hz)
    {
        var input = TestSignals.Tone(from, 0.5, hz, 0.8);
        var output = Resampler.Resample(input, from, to);
        Assert.Equal((int)Math.Ceiling(input.Length * (double)to / from), output.Length);
        var expected = TestSignals.Tone(to, 0.5, hz, 0.8);
        // Away from the edges, where the filter sees zeros beyond the signal.
        var margin = to / 20;
        var worst = Enumerable.Range(margin, output.Length - 2 * margin).Max(i => Math.Abs(output[i] - expected[i]));
        Assert.True(worst < 2e-3, $"largest error {worst}");
    }

    [Fact]
    public void Content_above_the_new_nyquist_is_removed_not_aliased()
    {
        var input = TestSignals.Tone(44100, 0.5, 11000, 0.8);
        var output = Resampler.Resample(input, 44100, 16000);
        var rms = Math.Sqrt(output.Skip(800).Take(output.Length - 1600).Average(v => (double)v * v));
        Assert.True(rms < 1e-3, $"alias rms {rms}");
    }

    [Fact]
    public void Decoder_resamples_to_the_asked_rate()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.wav");
        WavWriter.WriteMono(path, 48000, TestSignals.Tone(48000, 0.1, 440), SampleEncoding.Float, 32);
        var signal = AudioDecoder.Read(path, 44100);
        Assert.Equal(44100, signal.SampleRate);
        Assert.Equal(4410, signal.Samples.Length);
    }
}

public sealed class ResamplerBoundsTests
{
    [Theory]
    [InlineData(1, 44100)]
    [InlineData(7, 44100)]
    [InlineData(384000, 16)]
    public void Ratios_above_the_maximum_are_refused_before_any_work(int from, int to)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resample(new float[100_000], from, to));
        Assert.Contains($"ratio is above {Resampler.MaxRatio}", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.InputNeeded(1000, from, to));
    }

    [Theory]
    [InlineData(48000, 44100)]
    [InlineData(7919, 44100)] // evaluated directly, not through a polyphase bank
    [InlineData(44100, 16000)]
    [InlineData(8000, 32000)]
    [InlineData(384000, 1000)]
    public void The_needed_start_of_an_input_gives_exactly_the_samples_the_whole_input_gives(int from, int to)
    {
        var input = TestSignals.Noise(from, 3, seed: 5, amplitude: 0.5);
        var wanted = to; // one second of output
        var needed = Resampler.InputNeeded(wanted, from, to);
        Assert.InRange(needed, from, input.Length / 2); // a second of input and the filter's reach, not the whole input
        var whole = Resampler.Resample(input, from, to);
        var start = Resampler.Resample(input.AsSpan(0, (int)needed), from, to);
        Assert.True(start.Length >= wanted);
        Assert.Equal(whole[..wanted], start[..wanted]);
    }
}
