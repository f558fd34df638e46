using System.Buffers.Binary;
using NationalDns.Core.Pipeline;

namespace NationalDns.Core.Rpz.Tsig;

/// <summary>The TSIG RR's error field (RFC 8945 §3, §5): 0, or why a message's signature was not accepted.</summary>
public enum TsigError : ushort
{
    NoError = 0,
    BadSig = 16,
    BadKey = 17,
    BadTime = 18,
    BadTrunc = 22,
}

/// <summary>
/// A TSIG RR (RFC 8945 §4.2) as read from or written into a message's wire form: the last record of the additional
/// section, owner the key name, class ANY, TTL 0. Names are kept in canonical wire form, as the MAC covers them.
/// </summary>
internal sealed record TsigRecord(byte[] KeyName, byte[] AlgorithmName, long TimeSigned, ushort Fudge, byte[] Mac, ushort OriginalId, TsigError Error, byte[] OtherData)
{
    public const ushort Type = 250;
    public const ushort ClassAny = 255;

    /// <summary>Where the record starts in the message it was read from: what the MAC covers ends there.</summary>
    public int Start { get; init; }

    public string KeyNameText => TsigNames.ToText(KeyName);

    public string AlgorithmText => TsigNames.ToText(AlgorithmName);

    /// <summary>
    /// The message's TSIG RR, or null when it has none. Malformed (false) when the message cannot be walked, a TSIG RR is
    /// not the last record (RFC 8945 §5.1: FORMERR), or its data does not hold the fields.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out TsigRecord? record)
    {
        record = null;
        if (message.Length < WireFormat.HeaderSize)
        {
            return false;
        }

        var offset = WireFormat.HeaderSize;
        for (var q = BinaryPrimitives.ReadUInt16BigEndian(message[4..]); q > 0; q--)
        {
            if (!Pipeline.WireNames.TrySkip(message, ref offset) || (offset += 4) > message.Length)
            {
                return false;
            }
        }

        var records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..]) + BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        for (var i = 0; i < records; i++)
        {
            var start = offset;
            if (!Pipeline.WireNames.TrySkip(message, ref offset) || offset + 10 > message.Length)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            var data = offset + 10;
            if (data + length > message.Length)
            {
                return false;
            }

            if (type == Type)
            {
                if (i != records - 1 || BinaryPrimitives.ReadUInt16BigEndian(message[10..]) == 0)
                {
                    return false;
                }

                var owner = start;
                return TsigNames.TryRead(message, ref owner, out var keyName)
                    && TryReadData(message, data, length, keyName, start, out record);
            }

            offset = data + length;
        }

        return true;
    }

    private static bool TryReadData(ReadOnlySpan<byte> message, int data, int length, byte[] keyName, int start, out TsigRecord? record)
    {
        record = null;
        var end = data + length;
        var offset = data;
        if (!TsigNames.TryRead(message, ref offset, out var algorithm) || offset + 10 > end)
        {
            return false;
        }

        var time = ((long)BinaryPrimitives.ReadUInt16BigEndian(message[offset..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 2)..]);
        var fudge = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 6)..]);
        var macSize = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        offset += 10;
        if (offset + macSize + 6 > end)
        {
            return false;
        }

        var mac = message.Slice(offset, macSize).ToArray();
        offset += macSize;
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var error = (TsigError)BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        var otherSize = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 4)..]);
        offset += 6;
        if (offset + otherSize != end)
        {
            return false;
        }

        record = new TsigRecord(keyName, algorithm, time, fudge, mac, originalId, error, message.Slice(offset, otherSize).ToArray()) { Start = start };
        return true;
    }

    /// <summary><paramref name="message"/> with this record appended to its additional section (ARCOUNT one higher).</summary>
    public byte[] AppendTo(ReadOnlySpan<byte> message)
    {
        var dataLength = AlgorithmName.Length + 10 + Mac.Length + 6 + OtherData.Length;
        var wire = new byte[message.Length + KeyName.Length + 10 + dataLength];
        message.CopyTo(wire);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(message[10..]) + 1));
        var offset = message.Length;
        offset += Put(wire, offset, KeyName);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset), Type);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset + 2), ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(offset + 4), 0);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset + 8), (ushort)dataLength);
        offset += 10;
        offset += Put(wire, offset, AlgorithmName);
        offset += PutTime(wire, offset, TimeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset), Fudge);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset + 2), (ushort)Mac.Length);
        offset += 4;
        offset += Put(wire, offset, Mac);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset), OriginalId);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset + 2), (ushort)Error);
        BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(offset + 4), (ushort)OtherData.Length);
        Put(wire, offset + 6, OtherData);
        return wire;
    }

    /// <summary>
    /// What the MAC covers (RFC 8945 §4.3): the prior MAC with its length (the request's, or the previous message's of a
    /// multi-message answer), the message without this record (ID restored to the original, ARCOUNT one lower), and the
    /// TSIG variables; only the timers (time signed, fudge) for the second and later messages of an answer (§5.3.1).
    /// </summary>
    public byte[] Digest(ReadOnlySpan<byte> priorMac, ReadOnlySpan<byte> unsignedMessage, bool timersOnly)
    {
        using var data = new MemoryStream(priorMac.Length + unsignedMessage.Length + 128);
        if (!priorMac.IsEmpty)
        {
            Span<byte> size = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)priorMac.Length);
            data.Write(size);
            data.Write(priorMac);
        }

        data.Write(unsignedMessage);
        var variables = new byte[KeyName.Length + AlgorithmName.Length + 18 + OtherData.Length];
        var offset = 0;
        if (!timersOnly)
        {
            offset += Put(variables, offset, KeyName);
            BinaryPrimitives.WriteUInt16BigEndian(variables.AsSpan(offset), ClassAny);
            BinaryPrimitives.WriteUInt32BigEndian(variables.AsSpan(offset + 2), 0);
            offset += 6;
            offset += Put(variables, offset, AlgorithmName);
        }

        offset += PutTime(variables, offset, TimeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(variables.AsSpan(offset), Fudge);
        offset += 2;
        if (!timersOnly)
        {
            BinaryPrimitives.WriteUInt16BigEndian(variables.AsSpan(offset), (ushort)Error);
            BinaryPrimitives.WriteUInt16BigEndian(variables.AsSpan(offset + 2), (ushort)OtherData.Length);
            offset += 4;
            offset += Put(variables, offset, OtherData);
        }

        data.Write(variables, 0, offset);
        return data.ToArray();
    }

    /// <summary>The message this record was read from as it was before signing: cut at the record, original ID, one record fewer.</summary>
    public byte[] Unsigned(ReadOnlySpan<byte> message)
    {
        var unsigned = message[..Start].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(unsigned, OriginalId);
        BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(message[10..]) - 1));
        return unsigned;
    }

    /// <summary>A 48-bit time as the Other Data of a BADTIME answer carries the server's clock (RFC 8945 §5.2.3).</summary>
    public static byte[] TimeData(long seconds)
    {
        var data = new byte[6];
        PutTime(data, 0, seconds);
        return data;
    }

    private static int Put(byte[] target, int offset, byte[] bytes)
    {
        bytes.CopyTo(target, offset);
        return bytes.Length;
    }

    private static int PutTime(byte[] target, int offset, long seconds)
    {
        BinaryPrimitives.WriteUInt16BigEndian(target.AsSpan(offset), (ushort)(seconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(target.AsSpan(offset + 2), (uint)seconds);
        return 6;
    }
}
