using System.Text;
using System.Text.RegularExpressions;

namespace AudioPrune.Tests.Docs;

/// <summary>
/// Comments in the shipped code keep their reason and leave measured timings, speed-ups, dates and machines to
/// docs/performance.md and docs/platform.md, and cite documents that exist (the method is docs/method.md).
/// </summary>
public sealed partial class SourceCommentsTests
{
    [Fact]
    public void NoCommentInTheSourceHoldsAMeasuredOrDatedFigure()
    {
        var findings = SourceFiles()
            .SelectMany(file => CommentLines(file).SelectMany(comment => Findings(comment.Text)
                .Select(rule => $"{Relative(file)}:{comment.Line}: {rule}: {comment.Text.Trim()}")))
            .ToList();
        Assert.True(findings.Count == 0,
            "comments with measured or dated figures (move the figure, its date and machine to docs/performance.md "
            + "or docs/platform.md and keep the reason), or with a reference to a missing document:\n"
            + string.Join("\n", findings));
    }

    [Fact]
    public void TheScanReadsTheWholeSource()
    {
        var files = SourceFiles().ToList();
        Assert.Contains(files, f => f.EndsWith("Directory.Build.props", StringComparison.Ordinal));
        Assert.True(files.Count(f => f.EndsWith(".cs", StringComparison.Ordinal)) >= 200, $"only {files.Count} files under src/");
        Assert.True(files.Sum(f => CommentLines(f).Count()) >= 2000);
    }

    [Theory]
    [InlineData("took 22 ms with the default threshold", "time")]
    [InlineData("about 7 us per page", "time")]
    [InlineData("0.2-0.4 ns per number, a multiply-add about 10 ps", "time")]
    [InlineData("11-17 µs", "time")]
    [InlineData("7.3 ms of a one-thread step", "time")]
    [InlineData("a step took 0.355 s on 1 thread", "time")]
    [InlineData("each job took 12-17 s", "time")]
    [InlineData("the epoch ran 40 s", "time")]
    [InlineData("the padding is 5-10x slower", "speed-up")]
    [InlineData("about 1.6x faster here than BLAS", "speed-up")]
    [InlineData("ran three times slower", "speed-up")]
    [InlineData("trained 15 % faster", "speed-up")]
    [InlineData("a speed-up of 1.49x", "speed-up")]
    [InlineData("measured 3 Dec on the EPYC machines", "date")]
    [InlineData("on Dec 3, by hand", "date")]
    [InlineData("as of 4 December", "date")]
    [InlineData("in 2026 the kernels", "year")]
    [InlineData("the project's AMD EPYC machines", "machine")]
    [InlineData("see METHOD.md section 2", "missing document")]
    public void AMeasuredOrDatedFigureIsFound(string comment, string rule)
    {
        Assert.Contains(rule, Findings(comment));
    }

    [Theory]
    [InlineData("Arrays up to 4 MiB start in gen 0")]
    [InlineData("PANNs (CNN14/10/6): 10 s at 32 kHz, example [1, 1001, 64]")]
    [InlineData("Longest recording decoded whole, in seconds (10 minutes)")]
    [InlineData("CNN14 at 10 s peaks near 16 MB: 512 MiB")]
    [InlineData("64 levels, 250 M parameters, a tolerance of 1e-10")]
    [InlineData("2x2 average pooling, 7x7 kernels, 1x1 after the last, 96x64 patches")]
    [InlineData("kept = ceil((1 - p) F), 8 bands skip 44 % of the full product")]
    [InlineData("Singh & Plumbley (Interspeech 2022, ICASSP 2023, IEEE TASLP 2025); He et al., CVPR 2019")]
    [InlineData("the DCASE 2021 Task 1A baseline; the DCASE 2020 submissions; dcase2021 preset")]
    [InlineData("Koutini, Eghbal-zadeh and Widmer, TASLP 2021")]
    [InlineData("ONNX opset 13 to 21, IR 8 up to opset 17, glibc 2.28, libtorch 2.10")]
    [InlineData("the one measured faster for this network; several times slower than optimised code")]
    [InlineData("docs/method.md section 7; docs/performance.md")]
    [InlineData("May be null; March on")]
    public void ALimitConstantOrCitationIsNotAFigure(string comment)
    {
        Assert.Empty(Findings(comment));
    }

    [Fact]
    public void CommentsAreToldFromStrings()
    {
        var q = "\"";
        string[] lines =
        [
            $"var url = {q}http://example.org/ took 5 ms{q}; // first",
            $"var path = @{q}C:\\dir\\{q}; var c = '{q}'; var d = '\\''; /* second",
            $"third 7 ms */ var raw = {q}{q}{q}",
            "    // not a comment: 9 ms",
            $"    {q}{q}{q}; var e = $${q}{q}{q}{{{{x}}}} // 2 ms {q}{q}{q};",
            $"var s = ${q}{{(flag ? {q}a // b{q} : {q}c{q})}} // 3 ms{q}; // fourth",
            $"var v = @${q}a {q}{q}// 4 ms{q}{q} {{x}}{q}; // fifth",
        ];
        var comments = Comments(string.Join("\n", lines));
        Assert.Equal(new (int, string)[] { (1, " first"), (2, " second"), (3, "third 7 ms "), (6, " fourth"), (7, " fifth") }, comments);
    }

    private static IEnumerable<string> SourceFiles()
    {
        var src = RepositoryFiles.Path("src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories))
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj"))
            .Append(RepositoryFiles.Path("Directory.Build.props"))
            .Append(RepositoryFiles.Path("Directory.Packages.props"))
            .Order(StringComparer.Ordinal);
    }

    private static string Relative(string file) => Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/');

    private static IEnumerable<(int Line, string Text)> CommentLines(string file)
    {
        var text = File.ReadAllText(file);
        return file.EndsWith(".cs", StringComparison.Ordinal) ? Comments(text) : XmlComments(text);
    }

    /// <summary>The rules a comment line breaks, by name.</summary>
    private static IEnumerable<string> Findings(string comment) =>
        Rules.Where(rule => rule.Pattern.IsMatch(comment)).Select(rule => rule.Name).Distinct();

    private static readonly (string Name, Regex Pattern)[] Rules =
    [
        ("time", TimeUnit()),
        ("time", Seconds()),
        ("speed-up", SpeedRatio()),
        ("speed-up", BareRatio()),
        ("date", DayMonth()),
        ("date", MonthDay()),
        ("year", Year()),
        ("machine", Machine()),
        ("missing document", MethodMd()),
    ];

    /// <summary>A number (or range) of milli-, micro-, nano- or picoseconds.</summary>
    [GeneratedRegex(@"\b\d+(?:\.\d+)?(?:\s?[-–]\s?\d+(?:\.\d+)?)?\s?(?:ms|us|µs|ns|ps)\b")]
    private static partial Regex TimeUnit();

    /// <summary>
    /// Seconds as a timing: with decimals, as a range, or after a verb of timing. A bare "10 s" is a clip length.
    /// </summary>
    [GeneratedRegex(@"\b\d+\.\d+\s?s\b|\b\d+\s?[-–]\s?\d+\s?s\b|\b(?:took|takes|taking|ran|runs|spent|lasted)\s+(?:about\s+|under\s+|over\s+|nearly\s+)?\d+(?:\.\d+)?\s?(?:s|sec|seconds|min|minutes|h|hours)\b")]
    private static partial Regex Seconds();

    /// <summary>"1.6x faster", "5-10x slower", "three times slower", "15 % faster".</summary>
    [GeneratedRegex(@"(?:\b\d+(?:\.\d+)?(?:\s?[-–]\s?\d+(?:\.\d+)?)?\s?(?:x|times|%)|\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+times)\s+(?:faster|slower|quicker|longer)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SpeedRatio();

    /// <summary>A ratio with decimals ("1.49x", "0.97x"); shapes (2x2) and integer multipliers are not ratios.</summary>
    [GeneratedRegex(@"\b\d+\.\d+x\b")]
    private static partial Regex BareRatio();

    [GeneratedRegex(@"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?:uary|ruary|ch|il|e|y|ust|tember|ober|ember)?\b")]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b")]
    private static partial Regex MonthDay();

    /// <summary>A year 2020-2039, except in a citation of a venue or a challenge ("ICASSP 2023", "DCASE 2021").</summary>
    [GeneratedRegex(@"(?<!\b(?:DCASE|ICASSP|Interspeech|INTERSPEECH|TASLP|TASL|CVPR|ICCV|ECCV|NeurIPS|ICLR|ICML|EUSIPCO|WASPAA|IJCNN|AAAI|IJCAI)\s)\b20[23]\d\b")]
    private static partial Regex Year();

    [GeneratedRegex(@"\b(?:EPYC|Xeon|Ryzen|Threadripper|Graviton)\b")]
    private static partial Regex Machine();

    /// <summary>The method document is docs/method.md; METHOD.md was never in the repository.</summary>
    [GeneratedRegex(@"\bMETHOD\.md\b")]
    private static partial Regex MethodMd();

    /// <summary>The text of each line of every XML comment (&lt;!-- --&gt;), with its 1-based line.</summary>
    private static IEnumerable<(int Line, string Text)> XmlComments(string text)
    {
        foreach (Match match in XmlComment().Matches(text))
        {
            var line = 1 + text.AsSpan(0, match.Groups[1].Index).Count('\n');
            foreach (var part in match.Groups[1].Value.Split('\n')) yield return (line++, part.TrimEnd('\r'));
        }
    }

    [GeneratedRegex(@"<!--(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex XmlComment();

    /// <summary>
    /// The text of each line of every C# comment, with its 1-based line: // to the end of the line, /* */ split
    /// into lines. String literals (regular, verbatim, raw, interpolated with code in their holes) and character
    /// literals are skipped, so "//" in a URL is no comment.
    /// </summary>
    private static List<(int Line, string Text)> Comments(string source)
    {
        var lexer = new CSharpLexer(source);
        lexer.Code(inHole: false);
        return lexer.Found;
    }

    private sealed class CSharpLexer(string s)
    {
        private int i;
        private int line = 1;

        public List<(int Line, string Text)> Found { get; } = [];

        private char At(int k) => k < s.Length ? s[k] : '\0';

        private void Advance()
        {
            if (s[i] == '\n') line++;
            i++;
        }

        /// <summary>Code up to the end, or (in an interpolation hole) up to the hole's closing brace.</summary>
        public void Code(bool inHole)
        {
            var depth = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (c == '/' && At(i + 1) == '/') LineComment();
                else if (c == '/' && At(i + 1) == '*') BlockComment();
                else if (c == '\'') CharLiteral();
                else if (c == '"' || ((c == '$' || c == '@') && IsStringStart(i))) StringLiteral();
                else if (c == '{')
                {
                    depth++;
                    Advance();
                }
                else if (c == '}')
                {
                    if (inHole && depth == 0) return;
                    depth--;
                    Advance();
                }
                else Advance();
            }
        }

        private bool IsStringStart(int k)
        {
            while (At(k) is '$' or '@') k++;
            return At(k) == '"';
        }

        private void LineComment()
        {
            var start = i + 2;
            while (i < s.Length && s[i] != '\n') i++;
            Found.Add((line, s[start..i].TrimStart('/').TrimEnd('\r')));
        }

        private void BlockComment()
        {
            var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            if (end < 0) end = s.Length;
            var first = line;
            var parts = s[(i + 2)..end].Split('\n');
            foreach (var part in parts) Found.Add((first++, part.TrimEnd('\r')));
            while (i < Math.Min(end + 2, s.Length)) Advance();
        }

        private void CharLiteral()
        {
            Advance();
            while (i < s.Length && s[i] != '\'' && s[i] != '\n')
            {
                if (s[i] == '\\') Advance();
                if (i < s.Length) Advance();
            }
            if (i < s.Length && s[i] == '\'') Advance();
        }

        private void StringLiteral()
        {
            var dollars = 0;
            var verbatim = false;
            while (s[i] is '$' or '@')
            {
                if (s[i] == '$') dollars++;
                else verbatim = true;
                Advance();
            }
            var quotes = 0;
            while (At(i + quotes) == '"') quotes++;
            if (quotes >= 3)
            {
                RawString(quotes, dollars);
                return;
            }
            Advance(); // the opening quote
            while (i < s.Length)
            {
                var c = s[i];
                if (!verbatim && c == '\\') Advance();
                else if (c == '"')
                {
                    if (verbatim && At(i + 1) == '"') Advance();
                    else
                    {
                        Advance();
                        return;
                    }
                }
                else if (dollars > 0 && c == '{')
                {
                    if (At(i + 1) == '{') Advance();
                    else
                    {
                        Advance();
                        Code(inHole: true);
                    }
                }
                else if (!verbatim && c == '\n') return;
                if (i < s.Length) Advance();
            }
        }

        /// <summary>A raw string of <paramref name="quotes"/> quotes; with dollars, holes open with that many braces.</summary>
        private void RawString(int quotes, int dollars)
        {
            var close = new string('"', quotes);
            for (var q = 0; q < quotes; q++) Advance();
            var braces = dollars > 0 ? new string('{', dollars) : null;
            while (i < s.Length)
            {
                if (string.CompareOrdinal(s, i, close, 0, quotes) == 0)
                {
                    for (var q = 0; q < quotes; q++) Advance();
                    return;
                }
                if (braces is not null && string.CompareOrdinal(s, i, braces, 0, dollars) == 0 && At(i + dollars) != '{')
                {
                    for (var q = 0; q < dollars; q++) Advance();
                    Code(inHole: true);
                    for (var q = 0; q < dollars && i < s.Length; q++) Advance();
                    continue;
                }
                Advance();
            }
        }
    }
}
