using System.Buffers.Text;
using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Resolution.Relay;
using NationalDns.Server.Hosting;

namespace NationalDns.Http.DnsOverHttps;

/// <summary>
/// <c>/dns-query</c> (RFC 8484): the DNS message from <c>GET ?dns=</c> (base64url) or a <c>POST</c> body of type
/// <c>application/dns-message</c>, answered through the same <see cref="QueryDispatcher"/> as plain DNS with transport
/// <c>https</c>. Requests that carry no usable query get an HTTP error and never reach the pipeline: 400 (no or bad
/// <c>dns</c> parameter, a message that does not parse or is not a query), 413 (a body over 65535 bytes), 415 (another
/// content type), 405 (another method). A query the policy drops gets no answer: its stream (HTTP/2) or connection is reset.
/// A GET in the JSON form (<see cref="DnsJsonRequests"/>) takes the same path with another encoding.
/// </summary>
internal static class DnsQueryRequests
{
    public const string Path = "/dns-query";
    public const string MessageType = "application/dns-message";

    /// <summary>The largest DNS message (its length must fit the 16-bit prefix of DNS over TCP).</summary>
    public const int MaxMessageSize = ushort.MaxValue;

    public static async Task HandleAsync(HttpContext http, QueryDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(dispatcher);
        if (DnsJsonRequests.IsJsonForm(http.Request))
        {
            await DnsJsonRequests.HandleAsync(http, dispatcher);
            return;
        }

        var (message, status, reason) = http.Request.Method switch
        {
            "GET" => FromQueryString(http.Request),
            "POST" => await FromBodyAsync(http.Request, http.RequestAborted),
            _ => (null, StatusCodes.Status405MethodNotAllowed, "only GET and POST"),
        };

        var query = message is null ? null : Parse(message);
        if (query is null)
        {
            await RefuseAsync(http, message is null ? status : StatusCodes.Status400BadRequest, message is null ? reason : "not a DNS query");
            return;
        }

        await AnswerAsync(http, dispatcher, query, MessageType, WireForm);
    }

    // A forwarded answer goes out as the upstream's octets (RelayComposer), like a UDP one; anything else ARSoft encodes.
    private static ArraySegment<byte> WireForm(DnsMessage response) =>
        RelayComposer.TryCompose(response, ushort.MaxValue) ?? MessageEncoder.Encode(response).ToArraySegment(false);

    /// <summary>
    /// The serving path of both forms: <paramref name="query"/> through the same <see cref="QueryDispatcher"/> as plain
    /// DNS with transport <c>https</c>, the answer written as <paramref name="encode"/> makes it, with its max-age.
    /// </summary>
    public static async Task AnswerAsync(HttpContext http, QueryDispatcher dispatcher, DnsMessage query, string contentType, Func<DnsMessage, ArraySegment<byte>> encode)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(encode);
        var client = new IPEndPoint(http.Connection.RemoteIpAddress ?? IPAddress.IPv6None, http.Connection.RemotePort);
        var response = await dispatcher.AnswerAsync(query, client, TransportProtocol.Https);
        if (response is null)
        {
            http.Abort(); // dropped by the policy: the nearest HTTP has to no answer at all
            return;
        }

        var encoded = encode(response);
        http.Response.ContentType = contentType;
        http.Response.ContentLength = encoded.Count;
        http.Response.Headers.CacheControl = DohCacheControl.HeaderValue(response);
        await http.Response.Body.WriteAsync(encoded, http.RequestAborted);
    }

    private static (byte[]? Message, int Status, string Reason) FromQueryString(HttpRequest request)
    {
        if (request.Query["dns"] is not [{ Length: > 0 } text])
        {
            return (null, StatusCodes.Status400BadRequest, "missing dns parameter");
        }

        // No length check of its own: Kestrel's limits (an 8 KB request line, 32 KB of headers) keep it below a DNS message's.
        try
        {
            return (Base64Url.DecodeFromChars(text), StatusCodes.Status200OK, "");
        }
        catch (FormatException)
        {
            return (null, StatusCodes.Status400BadRequest, "dns parameter is not base64url");
        }
    }

    private static async Task<(byte[]? Message, int Status, string Reason)> FromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals(MessageType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, $"content type must be {MessageType}");
        }

        if (request.ContentLength > MaxMessageSize)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, "body longer than a DNS message");
        }

        // Read one byte past the limit: a body without Content-Length (HTTP/2, chunked) is cut off there.
        var buffer = new byte[MaxMessageSize + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length switch
        {
            > MaxMessageSize => (null, StatusCodes.Status413PayloadTooLarge, "body longer than a DNS message"),
            0 => (null, StatusCodes.Status400BadRequest, "empty body"),
            _ => (buffer[..length], StatusCodes.Status200OK, ""),
        };
    }

    private static DnsMessage? Parse(byte[] message)
    {
        try
        {
            return DnsMessage.Parse(message) is { IsQuery: true } query ? query : null;
        }
#pragma warning disable CA1031 // Whatever the parser throws on hostile input means one thing: a bad request.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static Task RefuseAsync(HttpContext http, int status, string reason)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            http.Response.Headers.Allow = "GET, POST";
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(reason + "\n", http.RequestAborted);
    }
}
