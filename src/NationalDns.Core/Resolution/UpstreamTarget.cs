using System.Net;
using System.Net.Sockets;

namespace NationalDns.Core.Resolution;

/// <summary>How an upstream is spoken to.</summary>
public enum UpstreamProtocol
{
    /// <summary>Plain DNS: UDP, and TCP after a truncated answer (RFC 1035, RFC 7766).</summary>
    Dns,

    /// <summary>DNS over TLS (RFC 7858): length-prefixed messages on a kept, pipelined TLS connection.</summary>
    Tls,
}

/// <summary>
/// One configured upstream: where it is, how it is spoken to, and for TLS the name its certificate must carry.
/// </summary>
/// <param name="EndPoint">The address and port queries go to.</param>
/// <param name="Protocol">Plain DNS or DNS over TLS.</param>
/// <param name="TlsName">With <see cref="UpstreamProtocol.Tls"/>: the name the server's certificate is checked against (RFC 8310 §8.1); null checks it against the address.</param>
/// <param name="HostName">The host name the upstream was given by, when it was given by name and <see cref="EndPoint"/> was looked up.</param>
public sealed record UpstreamTarget(IPEndPoint EndPoint, UpstreamProtocol Protocol = UpstreamProtocol.Dns, string? TlsName = null, string? HostName = null)
{
    // Written once, on first use: every answer names its upstream, and one string per upstream is enough.
    private string? _name;

    // A copy made with `with` may change any member, so it writes its own name.
    private UpstreamTarget(UpstreamTarget original)
    {
        EndPoint = original.EndPoint;
        Protocol = original.Protocol;
        TlsName = original.TlsName;
        HostName = original.HostName;
    }

    /// <summary><see cref="ToString"/>, made once: the name answers and logs give the upstream.</summary>
    public string Name => _name ??= Describe();

    /// <summary>A plain DNS upstream at <paramref name="endPoint"/>.</summary>
    public static implicit operator UpstreamTarget(IPEndPoint endPoint) => FromEndPoint(endPoint);

    /// <summary>A plain DNS upstream at <paramref name="endPoint"/>.</summary>
    public static UpstreamTarget FromEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return new UpstreamTarget(endPoint);
    }

    /// <summary>
    /// As the upstream is written on the command line: <c>192.0.2.1:53</c>, <c>[2001:db8::1]:53</c>,
    /// <c>tls://9.9.9.9:853@dns.quad9.net</c>; a name given by the user comes first, with the address it stands for.
    /// </summary>
    public override string ToString() => Name;

    private string Describe()
    {
        var address = EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]:{EndPoint.Port}" : $"{EndPoint.Address}:{EndPoint.Port}";
        var where = HostName is null ? address : $"{HostName} ({address})";
        return Protocol switch
        {
            UpstreamProtocol.Tls when TlsName is not null && HostName is null => $"tls://{address}@{TlsName}",
            UpstreamProtocol.Tls => $"tls://{where}",
            _ => where,
        };
    }

    public bool Equals(UpstreamTarget? other) =>
        other is not null && EndPoint.Equals(other.EndPoint) && Protocol == other.Protocol && TlsName == other.TlsName && HostName == other.HostName;

    public override int GetHashCode() => HashCode.Combine(EndPoint, Protocol, TlsName, HostName);
}
