namespace NationalDns.Core.Policy;

/// <summary>How blocked names are answered when a rule gives no action of its own.</summary>
public sealed record BlockingOptions
{
    /// <summary>The default TTL of blocked answers: short, so an edited list shows at clients within a minute.</summary>
    public static readonly TimeSpan DefaultBlockTtl = TimeSpan.FromSeconds(60);

    /// <summary>The action of rules that name none, and of hosts-file lines (<c>--action</c>).</summary>
    public BlockAction DefaultAction { get; init; } = BlockAction.NxDomain;

    /// <summary>TTL of blocked answers and minimum of their SOA (<c>--block-ttl</c>).</summary>
    public TimeSpan BlockTtl { get; init; } = DefaultBlockTtl;

    /// <summary>
    /// The block page's address (<c>--blockpage</c>, when it names a specific address): a bare <c>sinkhole</c> answers it for
    /// its family. Null: a bare <c>sinkhole</c> answers 0.0.0.0 and ::.
    /// </summary>
    public System.Net.IPAddress? BlockPageAddress { get; init; }

    /// <summary>How much a blocked answer's Extended DNS Error text says (<c>--ede-detail</c>).</summary>
    public EdeDetail EdeDetail { get; init; } = EdeDetail.Path;

    /// <summary>The configured list paths, which the EDE text names rule files relative to.</summary>
    public IReadOnlyList<string> ListRoots { get; init; } = [];
}
