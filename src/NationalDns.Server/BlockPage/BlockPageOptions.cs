using System.Net;

namespace NationalDns.Server.BlockPage;

/// <summary>Where the block page listens (<c>--blockpage IP:PORT</c>; port 0 picks a free one).</summary>
public sealed record BlockPageOptions(IPEndPoint EndPoint);
