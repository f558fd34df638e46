using System.Runtime.InteropServices;
using System.Text;

namespace NationalDns.Policy.Store;

/// <summary>
/// The basis texts of one store's rules, by rule index. Most lists give a basis to a few rules (a trailing comment); those
/// are kept as strings. A registry dump gives one to every row, each its own decision, and there a million strings with
/// a dictionary entry each would cost ~140 bytes a rule, several times the rule itself. Yet most of each such text is
/// shared with its neighbours ("decision … of 2026-02-12 (Roskomnadzor)"): a framed text keeps the shared words around
/// its own part once, in a table of frames, and only the own part (the decision number) as UTF-8 in one buffer, with 12
/// bytes a rule to find both.
/// </summary>
internal sealed class BasisTexts
{
    private readonly List<(string Before, string After)> _frames = [];
    private readonly Dictionary<(string Before, string After), int> _frameIndex = [];
    private Dictionary<int, string>? _plain;
    private FramedText[] _framed = [];
    private byte[] _own = [];
    private int _ownLength;
    private string? _lastText;
    private FramedText _lastFramed;

    /// <summary>Keeps <paramref name="text"/> whole for rule <paramref name="index"/>.</summary>
    public void Set(int index, string text) => (_plain ??= [])[index] = text;

    /// <summary>
    /// Keeps <paramref name="text"/> for rule <paramref name="index"/> as its own part <paramref name="own"/> (a range of
    /// the text) inside a shared frame, the text before and after that range. Indexes must come in increasing order.
    /// </summary>
    public void Set(int index, string text, Range own)
    {
        if (ReferenceEquals(text, _lastText))
        {
            // The rules of one registry row share their row's text, and rows of one decision the same string.
            EnsureRoom(index, 0);
            _framed[index] = _lastFramed;
            return;
        }

        var (start, length) = own.GetOffsetAndLength(text.Length);
        var ownText = text.AsSpan(start, length);
        var byteCount = Encoding.UTF8.GetByteCount(ownText);
        if (byteCount > ushort.MaxValue)
        {
            Set(index, text);
            return;
        }

        var frame = FrameOf(text[..start], text[(start + length)..]);
        EnsureRoom(index, byteCount);
        var offset = _ownLength;
        _ownLength += Encoding.UTF8.GetBytes(ownText, _own.AsSpan(offset));
        _framed[index] = _lastFramed = new FramedText(offset, frame, (ushort)byteCount);
        _lastText = text;
    }

    /// <summary>The text of rule <paramref name="index"/>; the rule must have one (<see cref="RuleFlags.Basis"/>).</summary>
    public string Get(int index)
    {
        if (_plain is not null && _plain.TryGetValue(index, out var plain))
        {
            return plain;
        }

        var framed = _framed[index];
        var (before, after) = _frames[framed.Frame];
        return string.Concat(before, Encoding.UTF8.GetString(_own, framed.Offset, framed.Length), after);
    }

    /// <summary>Gives back the room growth left unused, once no more texts come.</summary>
    public void Trim(int rules)
    {
        if (_framed.Length > rules)
        {
            _framed = _framed[..rules];
        }

        _own = _own[.._ownLength];
        _frameIndex.Clear();
        _frameIndex.TrimExcess();
        _lastText = null;
    }

    private int FrameOf(string before, string after)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_frameIndex, (before, after), out var known);
        if (!known)
        {
            index = _frames.Count;
            _frames.Add((before, after));
        }

        return index;
    }

    private void EnsureRoom(int index, int byteCount)
    {
        if (index >= _framed.Length)
        {
            Array.Resize(ref _framed, Math.Max(Math.Max(_framed.Length * 2, 16), index + 1));
        }

        if (_ownLength + byteCount > _own.Length)
        {
            Array.Resize(ref _own, Math.Max(Math.Max(_own.Length * 2, 256), _ownLength + byteCount));
        }
    }

    /// <summary>Where a framed text's own part sits in the buffer, and its frame.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    private readonly record struct FramedText(int Offset, int Frame, ushort Length);
}
