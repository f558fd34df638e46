namespace NationalDns.Core.Policy.Lists;

/// <summary>One list file found under a configured path: where it is, and how messages name it.</summary>
/// <param name="FullPath">The path to open (may be a symbolic link to the file).</param>
/// <param name="DisplayPath">The configured path joined with the file's path inside it (<c>blocklists/national.txt</c>).</param>
public sealed record BlocklistFile(string FullPath, string DisplayPath)
{
    /// <summary>The format forced on the file by its configured path (<c>rpz:lists/</c>), or null to recognise it by content.</summary>
    public Formats.ListFormat? Format { get; init; }
}
