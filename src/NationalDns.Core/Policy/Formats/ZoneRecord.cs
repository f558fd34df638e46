namespace NationalDns.Policy.Formats;

/// <summary>One resource record of a zone file, its owner resolved: <c>Owner</c> is absolute, lower case, without the final dot.</summary>
/// <param name="Line">The line the record starts on.</param>
/// <param name="Owner">The owner name, absolute (the origin appended to a relative name).</param>
/// <param name="Type">The record type, upper case (<c>CNAME</c>).</param>
/// <param name="Data">The record data words (<c>["rpz-passthru."]</c>).</param>
internal sealed record ZoneRecord(int Line, string Owner, string Type, IReadOnlyList<string> Data);
