using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Pipeline;

/// <summary>
/// Following an answer's CNAME chain as the policy's check follows it: from the question, each CNAME owned by the
/// name so far. The policy (BlocklistStage) and the cache (which records the chain's targets for the UDP fast path)
/// must walk the same chain, so both take each link from here.
/// </summary>
internal static class CNameLinks
{
    /// <summary>The first CNAME record in <paramref name="answers"/> owned by <paramref name="owner"/>, or null.</summary>
    public static CNameRecord? Next(List<DnsRecordBase> answers, DomainName owner)
    {
        foreach (var record in answers)
        {
            if (record is CNameRecord cname && cname.Name.Equals(owner))
            {
                return cname;
            }
        }

        return null;
    }
}
