using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace NationalDns.Server.Web;

/// <summary>
/// One thing served over HTTP (the operations endpoint, the block page): the addresses it listens on and the routes it
/// serves there. All sites share one Kestrel host (<see cref="WebHostService"/>), and a request reaches only the site
/// whose listener accepted its connection, so the console never answers on the block page's port and the block page,
/// which answers every path, never shadows the API.
/// </summary>
internal interface IWebSite
{
    /// <summary>Where the site listens; an empty list leaves it out.</summary>
    IReadOnlyList<WebListener> Listeners { get; }

    /// <summary>Builds the site's own request pipeline (routing included), apart from every other site's.</summary>
    void Configure(IApplicationBuilder app);

    /// <summary>Called once Kestrel has bound, with the real endpoints (ports chosen for port 0), in <see cref="Listeners"/>' order.</summary>
    void Started(IReadOnlyList<IPEndPoint> bound);
}

/// <summary>
/// One listening socket of a site. <paramref name="BindError"/> starts the message when its port cannot be bound
/// ("--blockpage: cannot listen on", then the endpoint and the reason), and <paramref name="Configure"/>, when given,
/// sets the connection up further (TLS, protocols) before HTTP runs.
/// </summary>
internal sealed record WebListener(string BindError, IPEndPoint EndPoint, Action<ListenOptions>? Configure = null);
