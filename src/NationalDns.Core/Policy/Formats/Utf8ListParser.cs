namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// A parser of a UTF-8 format (native, hosts, Adblock, zone files): skips the byte-order mark and decodes each line on its
/// own, so one bad byte costs its line, not the file.
/// </summary>
internal abstract class Utf8ListParser : IListFormatParser
{
    public void Read(ReadOnlySpan<byte> line, int number)
    {
        if (number == 1)
        {
            line = TextEncodings.WithoutUtf8Bom(line);
        }

        if (!Utf8Text.TryDecode(line, out var text, out var error))
        {
            Reject(number, error!);
            return;
        }

        Read(text, number);
    }

    public abstract void Reject(int number, string reason);

    public abstract ParsedList Finish();

    /// <summary>Reads one decoded line.</summary>
    protected abstract void Read(string line, int number);
}
