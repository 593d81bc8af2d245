namespace AudioPrune.Tests;

/// <summary>
/// Tests that seed TorchSharp's global generator or measure its threads join this collection, so that they
/// never run in parallel with each other (torch.manual_seed is process-wide).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSerialCollection
{
    public const string Name = "torch-serial";
}
