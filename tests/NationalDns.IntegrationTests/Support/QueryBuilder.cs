using System.Buffers.Binary;
using System.Text;

namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// Writes query packets byte by byte, so tests can send exactly what a client would, including what ARSoft
/// would refuse to encode (QR=1, several questions, odd flags, big EDNS options).
/// </summary>
internal sealed record QueryBuilder
{
    public ushort Id { get; init; } = 0x1234;
    public string Name { get; init; } = "example.org";
    public ushort Type { get; init; } = 1;
    public ushort Class { get; init; } = 1;
    public bool RecursionDesired { get; init; } = true;
    public bool CheckingDisabled { get; init; }
    public bool IsResponse { get; init; }
    public int Opcode { get; init; }
    public int QuestionCount { get; init; } = 1;

    /// <summary>Add an OPT record (EDNS0) with this UDP size; null = no EDNS.</summary>
    public ushort? EdnsUdpSize { get; init; }
    public bool DnssecOk { get; init; }
    public byte EdnsVersion { get; init; }

    /// <summary>Pad the OPT record with a Padding option (RFC 7830) until the whole packet has this many bytes.</summary>
    public int? PadTo { get; init; }

    /// <summary>For IXFR: the serial the client holds, sent as an SOA in the authority section (RFC 1995 §3).</summary>
    public uint? SoaSerial { get; init; }

    public static QueryBuilder For(string name, ushort type = 1) => new() { Name = name, Type = type };

    public byte[] Build()
    {
        var packet = new List<byte>(512);
        WriteUInt16(packet, Id);
        var flags = (IsResponse ? 0x8000 : 0) | ((Opcode & 0xF) << 11) | (RecursionDesired ? 0x0100 : 0) | (CheckingDisabled ? 0x0010 : 0);
        WriteUInt16(packet, (ushort)flags);
        WriteUInt16(packet, (ushort)QuestionCount);
        WriteUInt16(packet, 0);
        WriteUInt16(packet, (ushort)(SoaSerial is null ? 0 : 1));
        WriteUInt16(packet, (ushort)(EdnsUdpSize is null ? 0 : 1));
        for (var i = 0; i < QuestionCount; i++)
        {
            WriteName(packet, Name);
            WriteUInt16(packet, Type);
            WriteUInt16(packet, Class);
        }

        if (SoaSerial is { } serial)
        {
            WriteName(packet, Name);
            WriteUInt16(packet, 6); // SOA
            WriteUInt16(packet, 1);
            packet.AddRange(new byte[4]); // TTL
            WriteUInt16(packet, 22);
            packet.AddRange(new byte[2]); // MNAME and RNAME: the root
            WriteUInt16(packet, (ushort)(serial >> 16));
            WriteUInt16(packet, (ushort)serial);
            packet.AddRange(new byte[16]); // refresh, retry, expire, minimum
        }

        if (EdnsUdpSize is { } size)
        {
            packet.Add(0); // root owner
            WriteUInt16(packet, 41);
            WriteUInt16(packet, size);
            packet.Add(0); // extended rcode
            packet.Add(EdnsVersion);
            WriteUInt16(packet, (ushort)(DnssecOk ? 0x8000 : 0));
            var padding = PadTo is { } target ? Math.Max(0, target - packet.Count - 2 - 4) : -1;
            if (padding >= 0)
            {
                WriteUInt16(packet, (ushort)(4 + padding));
                WriteUInt16(packet, 12);
                WriteUInt16(packet, (ushort)padding);
                packet.AddRange(new byte[padding]);
            }
            else
            {
                WriteUInt16(packet, 0);
            }
        }

        return [.. packet];
    }

    // A backslash makes the next character part of the label (zone-file style), so "dot\.label.test" has a dot inside its first label.
    private static void WriteName(List<byte> packet, string name)
    {
        foreach (var label in Labels(name))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            packet.Add((byte)bytes.Length);
            packet.AddRange(bytes);
        }

        packet.Add(0);
    }

    private static List<string> Labels(string name)
    {
        var labels = new List<string>();
        var label = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && i + 1 < name.Length)
            {
                label.Append(name[++i]);
            }
            else if (name[i] == '.')
            {
                Flush();
            }
            else
            {
                label.Append(name[i]);
            }
        }

        Flush();
        return labels;

        void Flush()
        {
            if (label.Length > 0)
            {
                labels.Add(label.ToString());
                label.Clear();
            }
        }
    }

    private static void WriteUInt16(List<byte> packet, ushort value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
        packet.Add(buffer[0]);
        packet.Add(buffer[1]);
    }
}
