namespace NationalDns.Core.Policy;

/// <summary>How much the Extended DNS Error text of a blocked answer says (<c>--ede-detail</c>).</summary>
public enum EdeDetail
{
    /// <summary>The name, the rule and where it is written, relative to the list folder (<c>national.txt:21</c>): the default.</summary>
    Path,

    /// <summary>The name and the rule, not where it is written.</summary>
    Rule,

    /// <summary>No text: EDE 16 (Censored) alone.</summary>
    None,
}
