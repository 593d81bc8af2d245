using System.Text.Json.Serialization;
using AudioPrune.Common;

namespace AudioPrune.Training;

[JsonConverter(typeof(JsonStringEnumConverter<ScheduleKind>))]
internal enum ScheduleKind { Constant, Cosine, Step }

/// <summary>
/// The learning rate of each epoch as a pure function of the epoch number, so that a resumed run needs no
/// scheduler state: constant, cosine annealing from the base rate to base x MinimumFactor over the run,
/// or step decay (multiply by Gamma every StepEpochs epochs).
/// </summary>
internal sealed record LearningRateSchedule
{
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;
    public double MinimumFactor { get; init; }
    public int StepEpochs { get; init; } = 10;
    public double Gamma { get; init; } = 0.1;

    public static LearningRateSchedule Constant { get; } = new();

    /// <summary>The rate for 1-based <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public double RateAt(int epoch, int epochs, double baseRate) => Kind switch
    {
        ScheduleKind.Cosine when epochs > 1 => baseRate * (MinimumFactor + (1 - MinimumFactor) * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / (epochs - 1)))),
        ScheduleKind.Step => baseRate * Math.Pow(Gamma, (epoch - 1) / StepEpochs),
        _ => baseRate,
    };

    public void Validate()
    {
        if (!(MinimumFactor >= 0 && MinimumFactor <= 1)) throw new UserInputException($"cosine schedule minimum factor must be in [0, 1], got {MinimumFactor}");
        if (StepEpochs < 1) throw new UserInputException($"step schedule needs a step of at least 1 epoch, got {StepEpochs}");
        if (!(Gamma > 0 && Gamma <= 1)) throw new UserInputException($"step schedule gamma must be in (0, 1], got {Gamma}");
    }
}
