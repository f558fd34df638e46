using System.Net;
using NationalDns.Core.Net;

namespace NationalDns.Server.Admission;

/// <summary>
/// Decides whether a client may be served: first the allow list (over UDP and TCP), then, over UDP only, the rate
/// limit of its prefix. TCP is never rate-limited: a client that got TC=1 must be able to get its answer there,
/// and TCP's handshake already proves the source address is real.
/// </summary>
public sealed class ClientAdmission
{
    private readonly IpNetwork[] _allowed;
    private readonly bool _allowsEveryone;
    private readonly PrefixRateLimiter? _limiter;
    private readonly AdmissionVerdict _overLimit;

    public ClientAdmission(AdmissionOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = [.. options.AllowClients];
        _allowsEveryone = _allowed.Any(n => n.Text == "0.0.0.0/0") && _allowed.Any(n => n.Text == "::/0");
        _limiter = options.RateLimit is { } qps ? new PrefixRateLimiter(qps, time) : null;
        _overLimit = options.RateLimitAction == RateLimitAction.Drop ? AdmissionVerdict.Drop : AdmissionVerdict.Truncate;
    }

    /// <summary>For a UDP datagram: allow list, then rate limit.</summary>
    public AdmissionVerdict CheckUdp(SocketAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Span<byte> address = stackalloc byte[16];
        if (!ClientAddress.TryRead(client, address))
        {
            return AdmissionVerdict.Refuse;
        }

        if (!IsAllowed(address))
        {
            return AdmissionVerdict.Refuse;
        }

        return _limiter is null || _limiter.TryAcquire(address) ? AdmissionVerdict.Admit : _overLimit;
    }

    /// <summary>For a TCP query: the allow list only.</summary>
    public bool IsAllowed(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Span<byte> address = stackalloc byte[16];
        return ClientAddress.TryRead(client, address) && IsAllowed(address);
    }

    private bool IsAllowed(ReadOnlySpan<byte> address)
    {
        if (_allowsEveryone)
        {
            return true;
        }

        foreach (var network in _allowed)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
