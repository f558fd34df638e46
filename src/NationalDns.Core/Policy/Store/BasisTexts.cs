using System.Runtime.InteropServices;
using System.Text;

namespace NationalDns.Core.Policy.Store;

/// <summary>
/// The basis texts of one store's rules, by rule index. Most lists give a basis to a few rules (a trailing comment); those
/// are kept as strings. A registry dump gives one to every row, each its own decision, and there a million strings with
/// a dictionary entry each would cost ~140 bytes a rule, several times the rule itself. Yet most of each such text is
/// shared with its neighbours ("decision … of 2026-02-12 (Roskomnadzor)"): a framed text keeps the shared words around
/// its own part once, in a table of frames, and only the own part (the decision number) per rule, as UTF-8 appended in
/// rule order to one buffer. A rule then costs its own part plus 3 bytes (its frame and the part's length); where the
/// part starts is the sum of the lengths before it, from a checkpoint every <see cref="Block"/> rules.
/// </summary>
internal sealed class BasisTexts
{
    private const int Block = 64;

    private readonly List<(string Before, string After)> _frames = [];
    private readonly Dictionary<(string Before, string After), ushort> _frameIndex = [];
    private readonly List<int> _checkpoints = [];
    private Dictionary<int, string>? _plain;
    private FramedText[] _framed = [];
    private byte[] _own = [];
    private int _ownLength;
    private int _lastFramed = -1;

    /// <summary>Keeps <paramref name="text"/> whole for rule <paramref name="index"/>.</summary>
    public void Set(int index, string text) => (_plain ??= [])[index] = text;

    /// <summary>
    /// Keeps <paramref name="text"/> for rule <paramref name="index"/> as its own part <paramref name="own"/> (a range of
    /// the text) inside a frame shared with other rules, the text before and after that range. Framed texts must come in
    /// increasing rule order; a text that does not fit (a long own part, too many frames) is kept whole.
    /// </summary>
    public void Set(int index, string text, Range own)
    {
        var (start, length) = own.GetOffsetAndLength(text.Length);
        var ownText = text.AsSpan(start, length);
        var byteCount = Encoding.UTF8.GetByteCount(ownText);
        if (index <= _lastFramed || byteCount > byte.MaxValue || !TryFrameOf(text[..start], text[(start + length)..], out var frame))
        {
            Set(index, text);
            return;
        }

        EnsureRoom(index, byteCount);
        for (var block = _checkpoints.Count; block <= index / Block; block++)
        {
            _checkpoints.Add(_ownLength); // blocks before this rule's end here: nothing after this point is theirs
        }

        _ownLength += Encoding.UTF8.GetBytes(ownText, _own.AsSpan(_ownLength));
        _framed[index] = new FramedText(frame, (byte)byteCount);
        _lastFramed = index;
    }

    /// <summary>The text of rule <paramref name="index"/>; the rule must have one (<see cref="RuleFlags.Basis"/>).</summary>
    public string Get(int index)
    {
        if (_plain is not null && _plain.TryGetValue(index, out var plain))
        {
            return plain;
        }

        var block = index / Block;
        var offset = _checkpoints[block];
        for (var i = block * Block; i < index; i++)
        {
            offset += _framed[i].Length;
        }

        var framed = _framed[index];
        var (before, after) = _frames[framed.Frame];
        return string.Concat(before, Encoding.UTF8.GetString(_own, offset, framed.Length), after);
    }

    /// <summary>Gives back the room growth left unused, once no more texts come.</summary>
    public void Trim()
    {
        _framed = _framed[..(_lastFramed + 1)];
        _own = _own[.._ownLength];
        _frameIndex.Clear();
        _frameIndex.TrimExcess();
    }

    private bool TryFrameOf(string before, string after, out ushort frame)
    {
        if (_frameIndex.TryGetValue((before, after), out frame))
        {
            return true;
        }

        if (_frames.Count > ushort.MaxValue)
        {
            return false;
        }

        frame = (ushort)_frames.Count;
        _frameIndex.Add((before, after), frame);
        _frames.Add((before, after));
        return true;
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

    /// <summary>A framed text's frame and the length of its own part; zero length for a rule with no framed text.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private readonly record struct FramedText(ushort Frame, byte Length);
}
