using System.Buffers.Binary;
using System.Text;

namespace NationalDns.Server.Dnstap;

/// <summary>The kinds of Frame Streams control frame, by their number on the wire.</summary>
internal enum ControlType : uint
{
    Accept = 1,
    Start = 2,
    Stop = 3,
    Ready = 4,
    Finish = 5,
}

/// <summary>
/// A Frame Streams control frame. On the wire: four zero octets (the escape: a data frame of length 0 cannot exist),
/// the frame's length, its type, then fields, each a type (1 = content type), a length and the octets; every number
/// a big-endian 32-bit word. A writer offers content types in READY and names the one it sends in START; the reader
/// answers with the ones it takes in ACCEPT.
/// </summary>
internal sealed record ControlFrame(ControlType Type, IReadOnlyList<string> ContentTypes)
{
    /// <summary>Longest control frame a reader must take (the spec's limit); anything longer is not Frame Streams.</summary>
    public const int MaxLength = 512;

    private const uint ContentTypeField = 1;

    public static ControlFrame Of(ControlType type, params string[] contentTypes) => new(type, contentTypes);

    /// <summary>The frame as sent, escape included.</summary>
    public byte[] Encode()
    {
        var fields = ContentTypes.Select(Encoding.UTF8.GetBytes).ToArray();
        var length = 4 + fields.Sum(f => 8 + f.Length);
        var frame = new byte[8 + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)Type);
        var at = 12;
        foreach (var field in fields)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at), ContentTypeField);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at + 4), (uint)field.Length);
            field.CopyTo(frame, at + 8);
            at += 8 + field.Length;
        }

        return frame;
    }

    /// <summary>Reads one control frame; a data frame, an oversized frame or a torn one is a <see cref="FrameStreamException"/>.</summary>
    public static async Task<ControlFrame> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[8];
        await ReadExactlyAsync(stream, header, cancellationToken);
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != 0)
        {
            throw new FrameStreamException("expected a control frame, got a data frame");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        if (length is < 4 or > MaxLength)
        {
            throw new FrameStreamException($"control frame of {length} octets");
        }

        var body = new byte[length];
        await ReadExactlyAsync(stream, body, cancellationToken);
        return Parse(body);
    }

    private static ControlFrame Parse(ReadOnlySpan<byte> body)
    {
        var type = (ControlType)BinaryPrimitives.ReadUInt32BigEndian(body);
        var contentTypes = new List<string>();
        var rest = body[4..];
        while (rest.Length > 0)
        {
            var fieldLength = rest.Length < 8 ? uint.MaxValue : BinaryPrimitives.ReadUInt32BigEndian(rest[4..]);
            if (fieldLength > rest.Length - 8)
            {
                throw new FrameStreamException($"a field of the {type} frame is cut short");
            }

            if (BinaryPrimitives.ReadUInt32BigEndian(rest) == ContentTypeField)
            {
                contentTypes.Add(Encoding.UTF8.GetString(rest.Slice(8, (int)fieldLength)));
            }

            rest = rest[(8 + (int)fieldLength)..];
        }

        return new ControlFrame(type, contentTypes);
    }

    private static async Task ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new FrameStreamException("the collector closed the connection", e);
        }
    }
}

/// <summary>The other end broke the Frame Streams protocol, or hung up in the middle of it.</summary>
public sealed class FrameStreamException : IOException
{
    public FrameStreamException()
    {
    }

    public FrameStreamException(string message)
        : base(message)
    {
    }

    public FrameStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
