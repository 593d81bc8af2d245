using System.Text.RegularExpressions;

namespace AudioPrune;

/// <summary>
/// A problem with what the caller gave (a file, a value, a setting): the command line prints the message on one
/// line and exits with code 2. The message names the file or value and, where it helps, the fix. A message about a
/// parameter names it by the library's name ("ratio"); <see cref="Parameter"/> says which, and the command line
/// names its flag instead ("--ratio").
/// </summary>
public sealed partial class UserInputException : Exception
{
    public UserInputException(string message) : this(message, null)
    {
    }

    /// <summary>
    /// <paramref name="message"/> may name parameters as {@Name} (their library names, "{@RoundTo}"); the message
    /// says "round to", and <see cref="MessageNaming"/> can say each one's flag.
    /// </summary>
    public UserInputException(string message, Exception? inner) : base(Render(message, Describe), inner)
    {
        var first = ParameterToken().Match(message);
        if (!first.Success) return;
        Template = message;
        Parameter = first.Groups[1].Value;
    }

    /// <summary>The first library parameter the message is about ("Ratio", "Landmarks"), or null.</summary>
    public string? Parameter { get; }

    /// <summary>The message as written, with its {@Name} parameter tokens.</summary>
    internal string? Template { get; }

    /// <summary>Prefixes the message with the file it is about: "model.h5: layer 3 ...".</summary>
    public static UserInputException InFile(string path, string problem) => new($"{path}: {problem}");

    /// <summary>The message with each parameter called what <paramref name="name"/> says (a command-line flag).</summary>
    internal string MessageNaming(Func<string, string> name) => Template is null ? Message : Render(Template, name);

    private static string Render(string template, Func<string, string> name) =>
        ParameterToken().Replace(template, m => name(m.Groups[1].Value));

    /// <summary>How the library's own messages name a parameter: "ratio", "round to".</summary>
    private static string Describe(string parameter) =>
        string.Concat(parameter.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    [GeneratedRegex(@"\{@([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex ParameterToken();
}
