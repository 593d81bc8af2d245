using System.Globalization;
using System.Text;
using AudioPrune.Common;

namespace AudioPrune.Training;

/// <summary>
/// The per-epoch CSV log. The whole file is rewritten atomically after each epoch, so a run killed at any
/// moment leaves a complete, parseable file holding every finished epoch.
/// </summary>
internal static class TrainingLog
{
    public const string FileName = "training_log.csv";
    public const string Header = "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,samples_per_second,cpu_seconds,energy_joules";

    public static void Write(string path, IEnumerable<EpochRecord> history)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var r in history)
        {
            text.Append(string.Join(',', new[]
            {
                r.Epoch.ToString(CultureInfo.InvariantCulture), F(r.TrainLoss), F(r.TrainAccuracy), F(r.ValidationLoss),
                F(r.ValidationAccuracy), F(r.LearningRate), F(r.Seconds), F(r.SamplesPerSecond), F(r.CpuSeconds),
                r.EnergyJoules is { } joules ? F(joules) : "",
            })).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string F(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
