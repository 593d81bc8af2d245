using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Zoo;

/// <summary>
/// CP-ResNet (Koutini, Eghbal-zadeh and Widmer, TASLP 2021; models/cp_resnet.py of kkoutini/cpjku_dcase20, the
/// configuration of get_model_based_on_rho): a 5x5 stride-2 input conv, three stages of four basic residual blocks
/// (128, 256, 512 channels; the first block of a wider stage has a 1x1 conv + batch-norm shortcut), 2x2 max pooling
/// after blocks 1, 2 and 4 of stage 1, kernels of 3 or 1 chosen by the receptive-field parameter rho, and a 1x1 conv
/// to the classes with batch norm and global average pooling. Parameter names are the module's state_dict names
/// (in_c.0.weight, stage2.block1.shortcut.conv.weight, feed_forward.1.running_var). Differences: the input has the
/// channels of the graph input (the DCASE 2020 submissions fed 2 stereo channels; the front ends here give one), and
/// the graph ends in a softmax (the module returns logits, trained with cross-entropy, which a softmax head trains on).
/// </summary>
internal static class CpResNet
{
    private const int BlocksPerStage = 4;
    private static readonly int[] StageChannels = [128, 256, 512];
    private static readonly int[] Stage1Pools = [1, 2, 4];

    public static NetworkGraph Build(string name, Shape input, int classes, int rho)
    {
        var b = new SequentialBuilder(name, input);
        b.Conv("in_c.0", StageChannels[0], Size2.Square(5), Size2.Square(1), bias: false, stride: 2).BatchNorm("in_c.1").Relu("in_c.2");
        var conv = 0;
        for (var stage = 1; stage <= StageChannels.Length; stage++)
        {
            for (var block = 1; block <= BlocksPerStage; block++, conv += 2)
            {
                BasicBlock(b, $"stage{stage}.block{block}", StageChannels[stage - 1], Kernel(conv, rho), Kernel(conv + 1, rho));
                if (stage == 1 && Stage1Pools.Contains(block))
                    b.Pool($"stage1.maxpool{block}_{Array.IndexOf(Stage1Pools, block)}", PoolKind.Max, Size2.Square(2));
            }
        }
        b.Conv("feed_forward.0", classes, 1, same: false, bias: false).BatchNorm("feed_forward.1")
         .GlobalPool("feed_forward.2", GlobalPoolKind.Avg, 1, 2).Activation("softmax", ActivationKind.Softmax);
        return b.Build();
    }

    /// <summary>
    /// The kernel of the n-th block conv (k1 and k2 of each block in order): 3, then 1, then 3 while rho >= n - 1 and
    /// 1 after; get_model_based_on_rho's per-stage tables written as one rule (rho 7: 3x3 up to stage 2's first conv).
    /// </summary>
    private static int Kernel(int n, int rho) => n switch
    {
        0 => 3,
        1 => 1,
        _ => rho >= n - 1 ? 3 : 1,
    };

    /// <summary>conv1 + bn1 + ReLU, conv2 + bn2, plus the shortcut (identity, or a 1x1 conv + bn when the width changes), ReLU.</summary>
    private static void BasicBlock(SequentialBuilder b, string name, int channels, int k1, int k2)
    {
        var input = b.Last;
        b.Conv($"{name}.conv1", channels, Size2.Square(k1), Size2.Square(k1 / 3), bias: false).BatchNorm($"{name}.bn1").Relu($"{name}.relu1")
         .Conv($"{name}.conv2", channels, Size2.Square(k2), Size2.Square(k2 / 3), bias: false).BatchNorm($"{name}.bn2");
        var residual = b.Last;
        var shortcut = input;
        if (b.ShapeOf(input).Channels != channels)
        {
            b.From(input).Conv($"{name}.shortcut.conv", channels, 1, same: false, bias: false).BatchNorm($"{name}.shortcut.bn");
            shortcut = b.Last;
        }
        b.Add(new AddNode { Name = $"{name}.add", Inputs = [residual, shortcut] }).Relu($"{name}.relu2");
    }
}
