namespace NationalDns.Core.Policy.Formats;

/// <summary>
/// One resource record of a zone file with its owner resolved. A relative owner is kept as written (lower case) with
/// the origin it is relative to, and made absolute only when asked: a policy zone's million relative owners are its
/// triggers already, and joining each to the origin only to cut it off again would cost two strings a record.
/// </summary>
internal sealed class ZoneRecord(int line, ZoneOwner owner, string type, IReadOnlyList<string> data)
{
    /// <summary>The line the record starts on.</summary>
    public int Line => line;

    public ZoneOwner OwnerName => owner;

    /// <summary>The owner name, absolute, lower case, without the final dot.</summary>
    public string Owner => owner.Absolute;

    /// <summary>The record type, upper case (<c>CNAME</c>).</summary>
    public string Type => type;

    /// <summary>The record data words (<c>["rpz-passthru."]</c>).</summary>
    public IReadOnlyList<string> Data => data;
}

/// <summary>An owner name: <paramref name="name"/> relative to <paramref name="origin"/>, or absolute when the origin is null.</summary>
internal sealed class ZoneOwner(string name, string? origin)
{
    private string? _absolute;

    /// <summary>The name as written, lower case (absolute when <see cref="Origin"/> is null).</summary>
    public string Name => name;

    /// <summary>The origin the name is relative to, or null when it is absolute.</summary>
    public string? Origin => origin;

    public string Absolute => _absolute ??= string.IsNullOrEmpty(origin) ? name : $"{name}.{origin}";
}
