using System.CommandLine;

namespace AudioPrune.Cli;

/// <summary>Says what is wrong with the command name itself: none given, or one that does not exist (with the nearest one).</summary>
internal static class CommandNames
{
    /// <summary>The problem with the command name in <paramref name="args"/>, or null when it names a command.</summary>
    public static string? Problem(RootCommand root, string[] args)
    {
        var names = root.Subcommands.Select(c => c.Name).ToArray();
        var given = args.FirstOrDefault(a => !a.StartsWith('-'));
        if (given is null) return $"give a command: {string.Join(", ", names)} (see 'audioprune --help')";
        if (names.Contains(given, StringComparer.Ordinal)) return null;
        var nearest = names.MinBy(n => Distance(n, given))!;
        return Distance(nearest, given) <= Math.Max(2, given.Length / 3)
            ? $"unknown command '{given}'; did you mean '{nearest}'?"
            : $"unknown command '{given}'; the commands are {string.Join(", ", names)} (see 'audioprune --help')";
    }

    /// <summary>Edits (insertions, deletions, substitutions) that turn one word into the other.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
