using System.Text.Json;

namespace AudioPrune.Tests.Runtime;

/// <summary>
/// Guards the programs' large object heap threshold (Directory.Build.props): a 512-filter layer's distance matrix
/// must start in gen 0, whose memory is reused, instead of taking fresh pages on the large object heap.
/// </summary>
public sealed class LargeObjectThresholdTests
{
    private const int DistanceMatrixOf512Filters = 512 * 512;

    [Fact]
    public void A_512_filter_distance_matrix_starts_off_the_large_object_heap()
    {
        var distances = new double[DistanceMatrixOf512Filters];
        // Not "generation 0": a collection on another test's thread may promote it to 1 before the check. The large
        // object heap counts as the oldest generation.
        Assert.NotEqual(GC.MaxGeneration, GC.GetGeneration(distances));
    }

    [Fact]
    public void The_command_line_program_carries_the_threshold()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "audioprune.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var threshold = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.LOHThreshold");
        Assert.True(threshold.GetInt64() > DistanceMatrixOf512Filters * sizeof(double), $"{path}: threshold {threshold} would put the matrix on the large object heap");
    }
}
