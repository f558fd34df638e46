using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using ARSoft.Tools.Net;

namespace NationalDns.Core.Policy;

/// <summary>
/// The one normal form for names in lists and in queries: lower-case ASCII (punycode for IDN),
/// labels joined by '.', no trailing dot, the root as the empty string.
/// </summary>
public static class DomainNames
{
    /// <summary>The longest name in text form (RFC 1035: 255 octets on the wire).</summary>
    public const int MaxNameLength = 253;

    /// <summary>The longest label.</summary>
    public const int MaxLabelLength = 63;

    // UTS #46 non-transitional mapping; the managed implementation also runs under InvariantGlobalization.
    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// The lookup form of a name from a query: labels lower-cased (invariant) and joined by '.', the root as "".
    /// A label that itself contains a '.' (legal on the wire, never in a real zone) is joined as is.
    /// </summary>
    public static string FromWire(DomainName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var labels = name.Labels;
        if (labels.Length == 0)
        {
            return string.Empty;
        }

        var length = labels.Length - 1;
        foreach (var label in labels)
        {
            length += label.Length;
        }

        return string.Create(length, labels, static (destination, labels) =>
        {
            var position = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    destination[position++] = '.';
                }

                position += labels[i].AsSpan().ToLowerInvariant(destination[position..]);
            }
        });
    }

    /// <summary>
    /// Normalises a name typed by a person or written in a list: trim, strip one trailing dot, lower-case,
    /// convert Unicode to punycode, then check the DNS limits. The error reads <c>invalid name 'a..b': empty label</c>.
    /// </summary>
    public static bool TryNormalize(string text, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryNormalizeCore(text, out normalized, out var reason))
        {
            error = null;
            return true;
        }

        error = $"invalid name '{text.Trim()}': {reason}";
        return false;
    }

    /// <summary>As <see cref="TryNormalize"/>, but the error is only the reason (<c>empty label</c>), for callers that quote the text themselves.</summary>
    internal static bool TryNormalizeCore(string text, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? reason)
    {
        normalized = null;
        var trimmed = text.Trim();
        var name = trimmed.EndsWith('.') ? trimmed[..^1] : trimmed;
        if (name.Length == 0)
        {
            reason = "empty name";
            return false;
        }

        // Lower-case first: the managed IdnMapping keeps upper-case Cyrillic as is, which would give a different punycode.
        var lower = name.ToLowerInvariant();
        if (!Ascii.IsValid(lower))
        {
            try
            {
                lower = Idn.GetAscii(lower);
            }
            catch (ArgumentException)
            {
                reason = "not a valid internationalised name";
                return false;
            }
        }

        reason = Validate(lower);
        if (reason is not null)
        {
            return false;
        }

        normalized = lower;
        return true;
    }

    private static string? Validate(string name)
    {
        if (name.Length > MaxNameLength)
        {
            return $"longer than {MaxNameLength} characters";
        }

        var labelLength = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return "empty label";
                }

                labelLength = 0;
                continue;
            }

            if (!IsNameCharacter(c))
            {
                return $"invalid character '{c}'";
            }

            if (++labelLength > MaxLabelLength)
            {
                return $"label longer than {MaxLabelLength} characters";
            }
        }

        return labelLength == 0 ? "empty label" : null;
    }

    // Underscore is allowed: service names (_dmarc, _sip._tcp) are real and some lists carry them.
    private static bool IsNameCharacter(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '_';
}
