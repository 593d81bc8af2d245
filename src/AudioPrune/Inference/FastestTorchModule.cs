using System.Diagnostics;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using static TorchSharp.torch;

namespace AudioPrune.Inference;

/// <summary>
/// Picks, by timing them on the batch to be run, the fastest of the module forms that compute the same outputs:
/// the training form (channels padded to whole blocks on CPUs that have them, layout as measured for training) and
/// the unpadded network in either layout. Which wins depends on the widths, the batch and even the process's
/// allocation history (docs/performance.md, "Inference takes the form measured fastest"), so the engine measures
/// instead of predicting.
/// </summary>
internal static class FastestTorchModule
{
    /// <summary>
    /// Untimed passes per form first: the first passes of a form are slow while oneDNN generates its kernels and the
    /// allocator takes fresh pages for its feature maps, and with one warm-up pass the wrong form won at random.
    /// </summary>
    private const int WarmupPasses = 3;

    /// <summary>Timed passes per form, taken in turns so that a change in the machine's load falls on all of them.</summary>
    private const int Rounds = 5;

    /// <summary>
    /// The timed rounds are cut to those that fit in this many milliseconds, judged by the slowest form's second warm-up
    /// pass (at least one round): CNN14 at batch 32 would otherwise spend most of a minute choosing.
    /// </summary>
    private const double SlowBudgetMs = 2_000;

    public static TorchGraphModule Choose(NetworkGraph graph, WeightMap weights, Tensor input)
    {
        var forms = Forms(graph, weights);
        if (forms.Count == 1) return forms[0];
        var fastest = new double[forms.Count];
        Array.Fill(fastest, double.PositiveInfinity);
        var slowest = 0.0;
        foreach (var form in forms)
        {
            for (var pass = 0; pass < WarmupPasses; pass++)
            {
                var ms = PassMs(form, input);
                if (pass == 1) slowest = Math.Max(slowest, ms);
            }
        }
        var rounds = Math.Clamp((int)(SlowBudgetMs / (slowest * forms.Count)), 1, Rounds);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < forms.Count; i++) fastest[i] = Math.Min(fastest[i], PassMs(forms[i], input));
        }
        var best = Array.IndexOf(fastest, fastest.Min());
        foreach (var other in forms.Where((_, i) => i != best)) other.Dispose();
        return forms[best];
    }

    /// <summary>The output of one evaluation-mode pass, its intermediates freed.</summary>
    public static Tensor Forward(TorchGraphModule module, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return module.call(input).contiguous().MoveToOuterDisposeScope();
    }

    private static double PassMs(TorchGraphModule form, Tensor input)
    {
        var clock = Stopwatch.StartNew();
        Forward(form, input).Dispose();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>A short name of a module's form, for reports.</summary>
    public static string Describe(TorchGraphModule module) =>
        $"{(module.Layout == ActivationLayout.ChannelsLast ? "channels-last" : "channels-first")}, {(module.PadsChannels ? "channels padded to whole blocks" : "channels not padded")}";

    private static List<TorchGraphModule> Forms(NetworkGraph graph, WeightMap weights)
    {
        var forms = new List<TorchGraphModule> { TorchGraphModule.Create(graph, weights) };
        foreach (var layout in new[] { ActivationLayout.ChannelsFirst, ActivationLayout.ChannelsLast })
        {
            if (forms.Any(f => !f.PadsChannels && f.Layout == layout)) continue;
            forms.Add(TorchGraphModule.Create(graph, weights, layout, padChannels: false));
        }
        return forms;
    }
}
