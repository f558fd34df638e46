using System.Buffers.Binary;
using System.Net;
using ARSoft.Tools.Net.Dns;
using NationalDns.Core.Resolution;
using NationalDns.Core.Resolution.Relay;
using NationalDns.Core.Resolution.Wire;

namespace NationalDns.UnitTests.Resolution.Wire;

/// <summary>
/// A reply read from its octets (<see cref="ReplyRecords"/>) gives the records, response code and flags ARSoft's parser
/// gives, for thousands of generated replies; those it does not read are left to that parser.
/// </summary>
public class ReplyDecoderTests
{
    private static readonly UpstreamTarget Upstream = new IPEndPoint(IPAddress.Loopback, 53);

    [Fact]
    public void A_plain_answer_is_read_from_its_octets_to_the_records_the_upstream_sent()
    {
        // abc.w.test A 10.255.0.1, test NS ns.test, ns.test A 127.0.0.1, OPT: as NSD answers.
        var reply = new GeneratedReply(new Random(1));
        reply.Header(flags: 0x8580, answers: 1, authorities: 1, additionals: 2);
        reply.Question(reply.NameBytes(["abc", "w", "test"], pointTo: null));
        reply.Record(reply.NameBytes([], pointTo: 12), type: 1, ttl: 3600, [10, 255, 0, 1]);
        reply.Record(reply.NameBytes([], pointTo: 18), type: 2, ttl: 3600, reply.NameBytes(["ns"], pointTo: 18));
        reply.Record(reply.NameBytes(["ns"], pointTo: 18), type: 1, ttl: 3600, [127, 0, 0, 1]);
        reply.Opt(extendedCode: 0);

        Assert.True(UpstreamReply.TryRead(reply.Bytes, out var octets));
        Assert.True(ReplyRecords.TryRead(octets, out var sections));
        Assert.True(ReplyDecoder.TryDecode(reply.Bytes, Upstream, out var answer));

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.True(answer.IsAuthoritative);
        Assert.True(answer.IsRecursionAvailable);
        Assert.False(answer.IsAuthenticData);
        Assert.Equal(["abc.w.test. 3600 IN A 10.255.0.1"], answer.Answers.Select(r => r.ToString()));
        Assert.Equal(["test. 3600 IN NS ns.test."], answer.Authorities.Select(r => r.ToString()));
        Assert.Equal(["ns.test. 3600 IN A 127.0.0.1"], answer.Additionals.Select(r => r.ToString()));
        Assert.Equal(octets.Bytes, answer.Reply!.Bytes);
        Assert.Equal(sections.Answers.Length, answer.Answers.Count);
        Assert.IsType<DnsRecordBase[]>(answer.Answers); // read from the octets: ARSoft's parse gives its own list
    }

    [Fact]
    public void An_extended_response_code_is_read_from_the_OPT_record()
    {
        var reply = new GeneratedReply(new Random(2));
        reply.Header(flags: 0x8180, answers: 0, authorities: 0, additionals: 1);
        reply.Question(reply.NameBytes(["bad", "example"], pointTo: null));
        reply.Opt(extendedCode: 1);

        Assert.True(ReplyDecoder.TryDecode(reply.Bytes, Upstream, out var answer));

        Assert.Equal(ReturnCode.BadVersion, answer.ReturnCode); // the OPT's upper bits 1, the header's 0: BADVERS, 16
    }

    [Theory]
    [InlineData(20251206)]
    [InlineData(7)]
    public void Generated_replies_read_from_octets_equal_ARSofts_parse(int seed)
    {
        var random = new Random(seed);
        int read = 0, leftToArsoft = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = GeneratedReply.Any(random);
            if (!UpstreamReply.TryRead(bytes, out var octets))
            {
                continue;
            }

            if (octets.ExtendedErrorOptions is not null || octets.ResponseCode < 0 || !ReplyRecords.TryRead(octets, out var sections))
            {
                leftToArsoft++;
                continue;
            }

            read++;
            var parsed = DnsMessage.Parse(bytes);
            var context = $"seed {seed}, case {i}: {Convert.ToHexString(bytes)}";
            AssertSame(parsed.AnswerRecords, sections.Answers, context);
            AssertSame(parsed.AuthorityRecords, sections.Authorities, context);
            AssertSame([.. parsed.AdditionalRecords.Where(r => r is not OptRecord)], sections.Additionals, context);

            Assert.True(ReplyDecoder.TryDecode(bytes, Upstream, out var answer), context);
            Assert.IsType<DnsRecordBase[]>(answer.Answers); // the decoder took the octets' way, not ARSoft's
            Assert.Equal(parsed.ReturnCode, answer.ReturnCode);
            Assert.Equal(parsed.IsAuthoritiveAnswer, answer.IsAuthoritative);
            Assert.Equal(parsed.IsAuthenticData, answer.IsAuthenticData);
            Assert.Equal(parsed.IsRecursionAllowed, answer.IsRecursionAvailable);
        }

        // Both ways are exercised: most generated replies are of the common kinds, many are not.
        Assert.True(read > 1000, $"{read} replies read from octets");
        Assert.True(leftToArsoft > 300, $"{leftToArsoft} replies left to ARSoft");
    }

    private static void AssertSame(List<DnsRecordBase> expected, DnsRecordBase[] actual, string context)
    {
        Assert.True(expected.Count == actual.Length, context);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].GetType() == actual[i].GetType(), context);
            Assert.True(expected[i].ToString() == actual[i].ToString(), $"{expected[i]} != {actual[i]} ({context})");
            Assert.True(expected[i].Name.Equals(actual[i].Name) && expected[i].Name.Labels.SequenceEqual(actual[i].Name.Labels, StringComparer.Ordinal), context);
            Assert.True(expected[i].TimeToLive == actual[i].TimeToLive && expected[i].RecordClass == actual[i].RecordClass, context);
        }
    }

    /// <summary>A reply written octet by octet: names with and without compression, records of every kind the reader knows and some it does not.</summary>
    private sealed class GeneratedReply(Random random)
    {
        private static readonly string[] Words = ["www", "Example", "TEST", "a", "cdn-1", "_dmarc", "x9", "mail", "w"];
        private static readonly ushort[] Types = [1, 1, 1, 28, 5, 5, 2, 6, 15, 16, 12];
        private readonly List<byte> _bytes = [];
        private readonly List<int> _names = [];

        // Only the kinds the octet reader knows, in plain names: the replies nearly every upstream sends.
        private bool _plain;

        public byte[] Bytes => [.. _bytes];

        public static byte[] Any(Random random)
        {
            var reply = new GeneratedReply(random) { _plain = random.Next(2) == 0 };
            int answers = random.Next(4), authorities = random.Next(3), additionals = random.Next(3);
            var opt = random.Next(3) > 0;
            var flags = (ushort)(0x8000 | (random.Next(2) << 10) | (random.Next(2) << 7) | (random.Next(2) << 5) | (random.Next(8) == 0 ? random.Next(16) : random.Next(4)));
            reply.Header(flags, answers, authorities, additionals + (opt ? 1 : 0));
            reply.Question(reply.Name(reply.AnyLabels()));
            for (var i = 0; i < answers + authorities + additionals; i++)
            {
                reply.AnyRecord();
            }

            if (opt)
            {
                reply.Opt(extendedCode: random.Next(6) == 0 ? (byte)random.Next(3) : (byte)0);
            }

            return reply.Bytes;
        }

        public void Header(ushort flags, int answers, int authorities, int additionals)
        {
            Write16((ushort)random.Next(65536));
            Write16(flags);
            Write16(1);
            Write16((ushort)answers);
            Write16((ushort)authorities);
            Write16((ushort)additionals);
        }

        public void Question(byte[] name)
        {
            _bytes.AddRange(name);
            Write16(1);
            Write16(1);
        }

        public int Record(byte[] owner, ushort type, int ttl, byte[] data, ushort recordClass = 1)
        {
            var start = _bytes.Count;
            _bytes.AddRange(owner);
            Write16(type);
            Write16(recordClass);
            Write32(ttl);
            Write16((ushort)data.Length);
            _bytes.AddRange(data);
            return start;
        }

        public void Opt(byte extendedCode)
        {
            _bytes.Add(0);
            Write16(41);
            Write16(1232);
            _bytes.AddRange([extendedCode, 0, 0, 0]);
            Write16(0);
        }

        /// <summary>A name written at the end of the message: its labels, or some of them and a pointer to a name written before.</summary>
        public byte[] Name(string[] labels) => NameBytes(labels, pointTo: _names.Count > 0 && random.Next(2) == 0 ? _names[random.Next(_names.Count)] : null, remember: true);

        public byte[] NameBytes(string[] labels, int? pointTo, bool remember = false)
        {
            var bytes = new List<byte>();
            if (remember)
            {
                _names.Add(_bytes.Count);
            }

            foreach (var label in labels)
            {
                bytes.Add((byte)label.Length);
                bytes.AddRange(label.Select(c => (byte)c));
            }

            if (pointTo is { } target)
            {
                bytes.Add((byte)(0xC0 | (target >> 8)));
                bytes.Add((byte)target);
            }
            else
            {
                bytes.Add(0);
            }

            return [.. bytes];
        }

        public string[] AnyLabels()
        {
            var labels = new string[random.Next(4)];
            for (var i = 0; i < labels.Length; i++)
            {
                labels[i] = (_plain ? 4 + random.Next(8) : random.Next(12)) switch
                {
                    0 => "d.t",                                    // a dot inside a label
                    1 => "sp ace",
                    2 => new string((char)random.Next(0x80, 0x100), 2), // octets above ASCII
                    3 => "*",
                    _ => Words[random.Next(Words.Length)],
                };
            }

            return labels;
        }

        private void AnyRecord()
        {
            var type = Types[random.Next(_plain ? 8 : Types.Length)];
            var ttl = random.Next(10) == 0 ? -random.Next(1, 1000) : random.Next(0, 86400);
            var recordClass = (ushort)(!_plain && random.Next(15) == 0 ? 3 : 1);
            var owner = Name(AnyLabels());
            var data = type switch
            {
                1 => RandomBytes(!_plain && random.Next(12) == 0 ? 5 : 4),
                28 => RandomBytes(!_plain && random.Next(12) == 0 ? 4 : 16),
                5 or 2 or 12 => DataName(),
                6 => [.. DataName(), .. DataName(), .. RandomBytes(!_plain && random.Next(12) == 0 ? 19 : 20)],
                15 => [0, 10, .. DataName()],
                _ => [3, (byte)'a', (byte)'b', (byte)'c'],
            };
            Record(owner, type, ttl, data, recordClass);
        }

        // Names inside record data are not remembered as pointer targets: their offset is not known while they are written.
        private byte[] DataName() => NameBytes(AnyLabels(), pointTo: _names.Count > 0 && random.Next(2) == 0 ? _names[random.Next(_names.Count)] : null);

        private byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        private void Write16(ushort value)
        {
            Span<byte> buffer = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
            _bytes.AddRange(buffer.ToArray());
        }

        private void Write32(int value)
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(buffer, value);
            _bytes.AddRange(buffer.ToArray());
        }
    }
}
