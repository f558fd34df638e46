using System.Net;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Resolution;

/// <summary>
/// Asks one upstream one question: the per-server query function that <see cref="UpstreamPool"/> drives.
/// </summary>
/// <remarks>
/// Returns whatever the upstream answered, SERVFAIL included; the pool decides what counts as a failure. Any exception
/// counts as a failure of that upstream (timeout, network error, malformed response), except
/// <see cref="UpstreamException"/>, which means the question itself cannot be asked or its answer cannot be passed on:
/// the pool ends the question with it and holds nothing against the upstream. The exchange should stop when
/// <paramref name="cancellationToken"/> fires, which is when the pool's time for this attempt is up.
/// </remarks>
internal delegate Task<UpstreamAnswer> UpstreamExchange(
    UpstreamTarget server, DnsQuestion question, UpstreamRequestFlags flags, CancellationToken cancellationToken);
