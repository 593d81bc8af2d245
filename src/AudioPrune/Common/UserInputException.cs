namespace AudioPrune.Common;

/// <summary>
/// A problem with what the user gave us (a file, a flag, a config): the command line prints the message
/// on one line and exits with code 2. The message names the file or value and, where it helps, the fix.
/// </summary>
public sealed class UserInputException : Exception
{
    public UserInputException(string message) : base(message) { }

    public UserInputException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Prefixes the message with the file it is about: "model.h5: layer 3 ...".</summary>
    public static UserInputException InFile(string path, string problem) => new($"{path}: {problem}");
}
