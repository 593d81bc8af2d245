namespace AudioPrune.Tests.Data;

/// <summary>train, finetune and evaluate run any fold of a dataset's own folds as the test split.</summary>
public sealed class FoldProtocolTests
{
    [Fact]
    public void Each_command_tests_on_the_fold_asked_for()
    {
        using var dir = new TempDirectory();
        var data = dir.File("esc50");
        DatasetFixtures.Esc50(data);
        var model = dir.File("m.safetensors");
        var train = CliRunner.Run("train", "--model", "dcase21", "--data", data, "--out", model, "--epochs", "1", "--batch-size", "4",
            "--threads", "1", "--cache", dir.File("cache"), "--test-fold", "2");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("folds (test fold 2, validation fold 5, training the other 3)", train.Output);
        Assert.Contains("train 6, validation 2, test 2 examples", train.Output);

        var evaluate = CliRunner.Run("evaluate", model, "--data", data, "--cache", dir.File("cache"), "--threads", "1", "--test-fold", "3",
            "--validation-fold", "1", "--json", dir.File("e.json"));
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("split: test, 2 clips", evaluate.Output);
        var same = CliRunner.Run("evaluate", model, "--data", data, "--cache", dir.File("cache"), "--threads", "1", "--test-fold", "3", "--validation-fold", "3");
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("test fold 3 and validation fold 3 must be two different folds of 1,2,3,4,5", same.Error);
    }

    [Fact]
    public void A_dataset_without_folds_refuses_a_fold_by_its_flag()
    {
        using var dir = new TempDirectory();
        var manifest = DatasetFixtures.Manifest(dir.File("data"));
        var run = CliRunner.Run("train", "--model", "dcase21", "--data", manifest, "--out", dir.File("m.safetensors"), "--epochs", "1",
            "--cache", dir.File("cache"), "--test-fold", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("this dataset has no folds (at least 3, on every file), so --test-fold and --validation-fold do not apply", run.Error);
        Assert.False(File.Exists(dir.File("m.safetensors")));
    }
}
