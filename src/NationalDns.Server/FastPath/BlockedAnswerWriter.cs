using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Behaviours;

namespace NationalDns.Server.FastPath;

/// <summary>
/// Writes the answer to a blocked name directly as bytes, the same answer <see cref="BlockedResponses"/> builds as
/// an ARSoft message (the tests compare the two): header, the question copied verbatim (letter case kept), a sinkhole
/// address or the SOA of the rule's domain, and, for EDNS clients, an OPT record with EDE 16 naming the rule.
/// </summary>
internal sealed class BlockedAnswerWriter
{
    private const ushort TypeSoa = 6;

    // "nationaldns.invalid." and "hostmaster." + a pointer to it, as BlockedResponses' SOA writes them.
    private static readonly byte[] SoaMaster = [11, .. "nationaldns"u8, 7, .. "invalid"u8, 0];
    private static readonly byte[] SoaMailboxLabel = [10, .. "hostmaster"u8];

    // The EDE text after the name ("… blocked by rule x (file:line)"), built once per rule.
    private readonly ConditionalWeakTable<BlockRule, byte[]> _reasonTails = new();
    private readonly uint _ttl;
    private readonly System.Net.IPAddress? _blockPage;
    private readonly CensoredText _text;

    public BlockedAnswerWriter(BlockingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ttl = (uint)Math.Clamp(options.BlockTtl.TotalSeconds, 0, int.MaxValue);
        _blockPage = options.BlockPageAddress;
        _text = new CensoredText(options);
    }

    /// <summary>The most an answer can take: the query, SOA or AAAA, OPT and the EDE text.</summary>
    public static int MaxAnswerSize(int queryLength, BlockRule rule) => queryLength + 128 + 512 + (4 * (rule.Pattern.Length + rule.Source.File.Length));

    /// <summary>Writes the answer into <paramref name="output"/> and returns its length (never called for <c>drop</c>).</summary>
    public int Write(ReadOnlySpan<byte> packet, in WireQuery query, ReadOnlySpan<char> name, ReadOnlySpan<int> labelOffsets, BlockRule rule, Span<byte> output)
    {
        var action = rule.Action;
        var address = action.Kind is BlockActionKind.Sinkhole or BlockActionKind.Stub or BlockActionKind.Forge
            ? AnswerAddresses.For(action, (ARSoft.Tools.Net.Dns.RecordType)query.QueryType, name, _blockPage)
            : null;
        var (code, authoritative, withSoa) = action.Kind switch
        {
            BlockActionKind.NxDomain => (3, true, true),
            BlockActionKind.NoData => (0, true, true),
            BlockActionKind.Refused => (5, false, false),
            BlockActionKind.ServFail => (2, false, false),
            BlockActionKind.Sinkhole or BlockActionKind.Stub or BlockActionKind.Forge => (0, true, address is null),
            BlockActionKind.TcpOnly => (0, false, false),
            _ => throw new InvalidOperationException($"no answer is written for {action.Kind}"),
        };

        var truncated = action.Kind == BlockActionKind.TcpOnly ? WireFormat.TruncatedBit : 0;
        var flags = WireFormat.ResponseBit | WireFormat.RecursionAvailableBit | code | truncated | (authoritative ? WireFormat.AuthoritativeBit : 0)
            | (query.RecursionDesired ? WireFormat.RecursionDesiredBit : 0) | (query.CheckingDisabled ? WireFormat.CheckingDisabledBit : 0);
        BinaryPrimitives.WriteUInt16BigEndian(output, query.Id);
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(output[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(output[6..], (ushort)(address is null ? 0 : 1));
        BinaryPrimitives.WriteUInt16BigEndian(output[8..], (ushort)(withSoa ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], (ushort)(query.HasEdns ? 1 : 0));
        packet[12..query.QuestionEnd].CopyTo(output[12..]);
        var offset = query.QuestionEnd;

        if (address is not null)
        {
            // Owner: a pointer to the question name (offset 12), in the client's letter case.
            offset += WriteRecordHeader(output[offset..], 0xC00C, query.QueryType, address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16);
            address.TryWriteBytes(output[offset..], out var written);
            offset += written;
        }

        if (withSoa)
        {
            offset += WriteSoa(output[offset..], offset, RuleDomainOffset(labelOffsets, query.LabelCount, rule.Domain));
        }

        if (query.HasEdns)
        {
            offset += WriteOpt(output[offset..], query, name, rule);
        }

        return offset;
    }

    // The rule's domain is a suffix of the name; its first label sits at one of the question's label offsets.
    private static int RuleDomainOffset(ReadOnlySpan<int> labelOffsets, int labelCount, string domain)
    {
        var domainLabels = domain.AsSpan().Count('.') + 1;
        return labelOffsets[labelCount - Math.Min(domainLabels, labelCount)];
    }

    private int WriteRecordHeader(Span<byte> output, int ownerPointer, ushort type, int dataLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output, (ushort)ownerPointer);
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], type);
        BinaryPrimitives.WriteUInt16BigEndian(output[4..], WireFormat.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(output[6..], _ttl);
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], (ushort)dataLength);
        return 12;
    }

    private int WriteSoa(Span<byte> output, int recordOffset, int ownerOffset)
    {
        const int dataLength = 21 + 13 + 20;
        var offset = WriteRecordHeader(output, 0xC000 | ownerOffset, TypeSoa, dataLength);
        var masterOffset = recordOffset + offset;
        SoaMaster.CopyTo(output[offset..]);
        offset += SoaMaster.Length;
        SoaMailboxLabel.CopyTo(output[offset..]);
        offset += SoaMailboxLabel.Length;
        BinaryPrimitives.WriteUInt16BigEndian(output[offset..], (ushort)(0xC000 | masterOffset));
        offset += 2;
        foreach (var value in (ReadOnlySpan<uint>)[1, 3600, 600, 86400, _ttl])
        {
            BinaryPrimitives.WriteUInt32BigEndian(output[offset..], value);
            offset += 4;
        }

        return offset;
    }

    private int WriteOpt(Span<byte> output, in WireQuery query, ReadOnlySpan<char> name, BlockRule rule)
    {
        var tail = _reasonTails.GetValue(rule, r => Encoding.UTF8.GetBytes(_text.Tail(r)));
        if (!_text.HasText)
        {
            name = default; // EDE 16 without text
        }

        var textLength = name.Length + tail.Length;
        var payload = Math.Min(Math.Max(query.UdpPayloadSize, (ushort)512), Responses.MaxUdpPayload);

        output[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(output[1..], WireFormat.TypeOpt);
        BinaryPrimitives.WriteUInt16BigEndian(output[3..], payload);
        BinaryPrimitives.WriteUInt32BigEndian(output[5..], query.DnssecOk ? 0x8000u : 0u);
        BinaryPrimitives.WriteUInt16BigEndian(output[9..], (ushort)(4 + 2 + textLength));
        BinaryPrimitives.WriteUInt16BigEndian(output[11..], ExtendedDnsError.OptionCode);
        BinaryPrimitives.WriteUInt16BigEndian(output[13..], (ushort)(2 + textLength));
        BinaryPrimitives.WriteUInt16BigEndian(output[15..], ExtendedDnsError.Censored);
        var offset = 17;
        foreach (var c in name)
        {
            output[offset++] = (byte)c; // the parsed name is ASCII by construction
        }

        tail.CopyTo(output[offset..]);
        return offset + tail.Length;
    }
}
