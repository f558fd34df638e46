using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NationalDns.Http.WebConsole;

/// <summary>
/// The web console at <c>/</c>: a few static files (wwwroot/) built into the assembly, so the console needs nothing
/// at run time beyond the binary: no folder to ship, no CDN, no external fonts. Each file is read once at start and
/// served with an ETag, and with a content security policy that lets a page load only from this listener and never
/// be framed, since its buttons change the rules.
/// </summary>
internal static class ConsoleFiles
{
    private const string Prefix = "console/";

    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var file in Files())
        {
            app.MapGet(file.Name == "index.html" ? "/" : "/" + file.Name, (HttpContext http) => Serve(http, file)).ExcludeFromDescription();
        }
    }

    private static IResult Serve(HttpContext http, StaticFile file)
    {
        var headers = http.Response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = "no-cache"; // revalidate: an upgraded server must not run an old script
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return http.Request.Headers.IfNoneMatch == file.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(file.Content, file.ContentType);
    }

    private static IEnumerable<StaticFile> Files()
    {
        var assembly = typeof(ConsoleFiles).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[Prefix.Length..];
            yield return new StaticFile(name, content, TypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"");
        }
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record StaticFile(string Name, byte[] Content, string ContentType, string ETag);
}
