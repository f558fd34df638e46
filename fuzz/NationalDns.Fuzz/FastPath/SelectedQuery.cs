using NationalDns.Server.FastPath;

namespace NationalDns.Fuzz.FastPath;

/// <summary>The input layout of the writer harnesses: two selector bytes, then the datagram, which must parse as the fast path parses it.</summary>
internal static class SelectedQuery
{
    private const int SelectorBytes = 2;

    /// <summary>The datagram after the selectors and its parse; false when it is not one the fast path would answer.</summary>
    public static bool TryRead(byte[] input, Span<char> name, Span<int> labelOffsets, out byte[] query, out WireQuery parsed)
    {
        query = input.Length < SelectorBytes ? [] : input[SelectorBytes..];
        parsed = default;
        return query.Length > 0 && WireQuery.TryParse(query, name, labelOffsets, out parsed);
    }
}
