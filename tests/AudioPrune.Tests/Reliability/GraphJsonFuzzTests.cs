using System.Text;
using AudioPrune.Graph;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Reliability;

/// <summary>Seeded mutations of a valid graph document must parse to a valid graph or fail with a GraphException.</summary>
[Trait("Category", "Slow")]
public sealed class GraphJsonFuzzTests
{
    public const int Cases = 3000;

    [Fact]
    public void MutatedGraphsGiveCleanErrors()
    {
        var valid = Encoding.UTF8.GetBytes(GraphJson.Serialize(ModelZoo.Create("dcase21").Graph));
        var random = new Random(7);
        var refused = 0;
        for (var i = 0; i < Cases; i++)
        {
            var text = Encoding.UTF8.GetString(FileMutator.Mutate(valid, random));
            try
            {
                var graph = GraphJson.Parse(text, "g.json");
                Assert.True(graph.Nodes.Count > 0);
            }
            catch (GraphException)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{text}");
            }
        }
        Assert.True(refused > Cases / 2, $"only {refused} of {Cases} mutations were refused");
    }
}
