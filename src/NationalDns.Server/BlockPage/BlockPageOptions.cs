using System.Net;

namespace NationalDns.Server.BlockPage;

/// <summary>
/// Where the block page listens: over HTTP (<c>--blockpage IP:PORT</c>) and over HTTPS (<c>--blockpage-https IP:PORT</c>),
/// either or both; port 0 picks a free one.
/// </summary>
internal sealed record BlockPageOptions(IPEndPoint? EndPoint, IPEndPoint? HttpsEndPoint = null);
