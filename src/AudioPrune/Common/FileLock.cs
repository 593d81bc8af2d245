namespace AudioPrune.Common;

/// <summary>
/// An exclusive lock held through an open lock file (FileShare.None, which .NET maps to flock on Unix).
/// The operating system releases it when the process dies, so a killed run never leaves a stale lock.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(Environment.ProcessId);
            stream.Flush();
            return new FileLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the lock.</summary>
    public static FileLock Acquire(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryAcquire(path) is { } held) return held;
            if (DateTime.UtcNow >= deadline) throw new UserInputException($"{path}: another process holds this lock; wait for it to finish");
            Thread.Sleep(50);
        }
    }

    public void Dispose() => stream.Dispose();
}
