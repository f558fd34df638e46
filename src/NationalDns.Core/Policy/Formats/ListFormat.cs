namespace NationalDns.Core.Policy.Formats;

/// <summary>The list formats NationalDns reads. Each file's format is recognised by its content or forced per list.</summary>
public enum ListFormat
{
    /// <summary>NationalDns's own format: <c>name [action]</c>, <c>*.name</c>, <c>@@name</c>, hosts lines; <c>#</c> comments.</summary>
    Native,

    /// <summary>A hosts file: every rule line is <c>ADDRESS name [name...]</c>.</summary>
    Hosts,

    /// <summary>Adblock-style DNS rules: <c>||name^</c>, <c>@@||name^</c>, <c>$important</c>; <c>!</c> comments.</summary>
    Adblock,

    /// <summary>A Response Policy Zone in zone-file syntax (<c>name CNAME .</c>, <c>rpz-passthru.</c>, ...).</summary>
    Rpz,

    /// <summary>The Roskomnadzor registry dump (<c>dump.csv</c>): Windows-1251, <c>;</c>-separated, first line <c>Updated: ...</c>.</summary>
    RegistryDump,
}
