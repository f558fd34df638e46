using System.Text;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Formats;

namespace NationalDns.UnitTests.Policy.Formats;

/// <summary>
/// The line reader every parser is fed by: the same lines and numbers whatever sizes the stream's reads come in, lines
/// longer than its first buffer, and a line too long to hold skipped and reported without the lines around it suffering.
/// </summary>
public sealed class StreamLinesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Lines_and_their_numbers_do_not_depend_on_how_the_stream_is_cut(int seed)
    {
        var random = new Random(seed);
        var content = RandomText(random, 400_000);

        var read = ReadAll(new TrickleStream(content, random));

        Assert.Equal(Reference(content), read);
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("\n", new[] { "" })]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\n", new[] { "a" })]
    [InlineData("a\r\nb\r\n\r\nc\r", new[] { "a", "b", "", "c" })]
    [InlineData("a\r\r\nb", new[] { "a\r", "b" })]
    public void Line_breaks_are_LF_or_CRLF_and_a_last_line_needs_none(string text, string[] expected)
    {
        Assert.Equal(expected.Select((line, i) => (i + 1, line)), ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_skipped_and_the_next_line_keeps_its_number()
    {
        var content = Encoding.ASCII.GetBytes("a.example\n" + new string('x', StreamLines.MaxLineLength + 10) + "\nb.example\n" + new string('y', StreamLines.MaxLineLength));

        var lines = new StreamLines(new TrickleStream(content, new Random(4)));
        var read = new List<(int, string, bool)>();
        while (lines.TryNext(out var line))
        {
            read.Add((lines.Number, Encoding.ASCII.GetString(line), lines.LineTooLong));
        }

        Assert.Equal([(1, "a.example", false), (2, "", true), (3, "b.example", false), (4, "", true)], read);
    }

    [Fact]
    public void The_prefix_is_the_first_64_KB_and_says_whether_it_is_the_whole_file()
    {
        var big = new byte[200_000];
        big.AsSpan().Fill((byte)'a');

        var whole = new StreamLines(new MemoryStream("a.example\n"u8.ToArray()));
        var part = new StreamLines(new TrickleStream(big, new Random(5)));

        Assert.Equal((10, true), (whole.Prefix.Length, whole.PrefixIsWhole));
        Assert.Equal((64 << 10, false), (part.Prefix.Length, part.PrefixIsWhole));
    }

    [Fact]
    public void A_list_with_a_line_too_long_reports_it_and_loads_the_rest()
    {
        var content = Encoding.ASCII.GetBytes("a.example\n" + new string('x', StreamLines.MaxLineLength) + "\nb.example\n");

        var parsed = FormatLists.Parse(content);

        Assert.Equal(["a.example", "b.example"], parsed.Rules.Select(r => r.Domain));
        Assert.Equal([$"{FormatLists.ListPath}:2: line longer than 1 MB; skipped"], parsed.ProblemLines());
    }

    public static TheoryData<ListFormat> Formats => [ListFormat.Native, ListFormat.Hosts, ListFormat.Adblock, ListFormat.Rpz, ListFormat.RegistryDump];

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_large_list_streamed_in_odd_pieces_loads_every_rule_at_its_line(ListFormat format)
    {
        const int count = 40_000; // a few MB: dozens of buffers
        var (content, firstRuleLine) = LargeList(format, count);

        var parsed = BlocklistParser.Parse(new TrickleStream(content, new Random(6)), "lists/large", BlockAction.NxDomain);

        Assert.Equal(format, parsed.Format);
        Assert.Empty(parsed.Problems);
        Assert.Equal(count, parsed.Rules.Count);
        Assert.All(Enumerable.Range(0, count).Where(i => i % 997 == 0 || i == count - 1), i =>
            Assert.Equal(($"n{i}.example", firstRuleLine + i), (parsed.Rules[i].Domain, parsed.Rules[i].Source.Line)));
    }

    private static (byte[] Content, int FirstRuleLine) LargeList(ListFormat format, int count)
    {
        var (header, line, encoding) = format switch
        {
            ListFormat.Hosts => ("# hosts\n", (Func<int, string>)(i => $"0.0.0.0 n{i}.example\n"), Encoding.UTF8),
            ListFormat.Adblock => ("[Adblock Plus 2.0]\n", i => $"||n{i}.example^\n", Encoding.UTF8),
            ListFormat.Rpz => ("$ORIGIN rpz.test.\n", i => $"n{i}.example CNAME .\n", Encoding.UTF8),
            ListFormat.RegistryDump => ("Updated: 2026-02-12 09:00:00 +0300\n", i => $"192.0.2.1;n{i}.example;;Суд;N-{i};2026-02-12\n", TextEncodings.Windows1251),
            _ => ("# native\n", i => $"n{i}.example refused # basis {i}\n", Encoding.UTF8),
        };
        var text = new StringBuilder(header);
        for (var i = 0; i < count; i++)
        {
            text.Append(line(i));
        }

        return (encoding.GetBytes(text.ToString()), 2);
    }

    private static List<(int, string)> ReadAll(Stream stream)
    {
        var lines = new StreamLines(stream);
        var read = new List<(int, string)>();
        while (lines.TryNext(out var line))
        {
            Assert.False(lines.LineTooLong);
            read.Add((lines.Number, Encoding.Latin1.GetString(line)));
        }

        return read;
    }

    // What the lines of a file are: split at LF, one CR before it dropped, an empty rest after the last LF no line.
    private static List<(int, string)> Reference(byte[] content)
    {
        var parts = Encoding.Latin1.GetString(content).Split('\n');
        var count = parts[^1].Length == 0 ? parts.Length - 1 : parts.Length;
        return [.. parts.Take(count).Select((part, i) => (i + 1, part.EndsWith('\r') ? part[..^1] : part))];
    }

    // Lines of 0 to 100,000 bytes (past the 64 KB first buffer) of letters, CRs and non-ASCII bytes.
    private static byte[] RandomText(Random random, int length)
    {
        var content = new byte[length];
        var i = 0;
        while (i < length)
        {
            var lineLength = random.Next(8) == 0 ? random.Next(100_000) : random.Next(40);
            for (var j = 0; j < lineLength && i < length; j++)
            {
                content[i++] = (byte)"abc.\r\xe9"[random.Next(6)];
            }

            if (i < length)
            {
                content[i++] = (byte)'\n';
            }
        }

        return content;
    }

    /// <summary>A stream whose reads return a random few bytes, or sometimes many, as pipes and slow disks do.</summary>
    private sealed class TrickleStream(byte[] content, Random random) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            base.Read(buffer, offset, Math.Min(count, random.Next(4) == 0 ? random.Next(1, 200_000) : random.Next(1, 9)));
    }
}
