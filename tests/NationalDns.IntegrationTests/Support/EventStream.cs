namespace NationalDns.IntegrationTests.Support;

/// <summary>
/// A Server-Sent Events response read line by line. <see cref="OpenAsync"/> returns once the server's opening comment
/// has arrived, so the server is subscribed and every entry logged after that will come through.
/// </summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<EventStream> OpenAsync(HttpClient http, string path, CancellationToken ct, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        var stream = new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
        Assert.Equal(": connected", await stream.NextLineAsync(ct));
        Assert.StartsWith("retry: ", await stream.NextLineAsync(ct), StringComparison.Ordinal);
        return stream;
    }

    /// <summary>The next non-empty line (a comment, a field).</summary>
    public async Task<string> NextLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length > 0)
            {
                return line;
            }
        }
    }

    /// <summary>The next event's <c>data:</c> payload, skipping comments and other fields.</summary>
    public async Task<string> NextDataAsync(CancellationToken ct)
    {
        while (true)
        {
            var line = await NextLineAsync(ct);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
