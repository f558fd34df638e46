namespace NationalDns.Core.Resolution.Streams;

/// <summary>
/// A kept stream (TCP or TLS) to an upstream: sends one query and returns the first reply with its ID that
/// <c>accepts</c> takes, ignoring the others; throws when the stream fails or the caller's token fires.
/// </summary>
internal interface IStreamExchange
{
    Task<byte[]> ExchangeAsync(UpstreamTarget server, ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accepts, CancellationToken cancellationToken);
}
