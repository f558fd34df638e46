using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalDns.Cli;
using NationalDns.Configuration;
using NationalDns.Core.Pipeline;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Time;

namespace NationalDns.Http;

/// <summary>
/// The rule editing part of the API under <c>/api</c>; who may read and who may change is <see cref="ApiAccess"/>'s
/// decision, made before any of these handlers runs. Edits go to the list files
/// (<see cref="ListFileEditor"/>) and reach the running rules through the ordinary hot reload, so the files stay
/// the single source of truth. Every change is logged with the caller's address and token fingerprint
/// (<c>loopback</c> when no token is configured).
/// </summary>
internal static partial class AdminApi
{
    public static void Map(IEndpointRouteBuilder api, ApiAccess access, IServiceProvider dns)
    {
        var settings = dns.GetRequiredService<NationalDnsSettings>();
        var blocking = settings.Blocking;
        var editor = new ListFileEditor(settings.Blocklists, blocking.DefaultAction);
        api.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(editor.Dispose);
        var policy = dns.GetRequiredService<QueryPolicy>();
        var clock = dns.GetRequiredService<RuleClock>();
        var responses = dns.GetRequiredService<BlockedResponses>();
        var logger = dns.GetRequiredService<ILoggerFactory>().CreateLogger("NationalDns.Http.AdminApi");

        api.MapGet("/rules", (string? file) =>
        {
            var files = editor.Files().Where(f => file is null || f.DisplayPath == file || Path.GetFileName(f.FullPath) == file);
            var now = clock.Now;
            return Results.Json(files.SelectMany(f => ListFileEditor.RulesIn(f, blocking.DefaultAction).Select(r => RuleView.Of(r, RuleStanding.Of(r, f, now, settings.Groups)))));
        });

        api.MapMethods("/rules/{pattern}", ["PATCH", "PUT"], async (string pattern, RuleRequest request, HttpContext http, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Action))
            {
                return Problem("action is required");
            }

            if (editor.ParseRule($"{pattern} {request.Action.Trim()}", out var error) is not { IsException: false } parsed || request.Action.Contains('#', StringComparison.Ordinal) || request.Action.Contains('\n', StringComparison.Ordinal))
            {
                return Problem(error ?? "one action, without comments");
            }

            var targets = request.File is null ? editor.Files() : editor.Resolve(request.File) is { } one ? [one] : [];
            var changed = new List<RuleSource>();
            foreach (var target in targets)
            {
                var sources = await editor.ChangeActionAsync(target, parsed.Pattern, parsed.Action, ct);
                if (sources.Count > 0)
                {
                    Changed(logger, $"set action {parsed.Action} on", parsed.Pattern, target.DisplayPath, Caller(http), access.Credential);
                    changed.AddRange(sources);
                }
            }

            return changed.Count == 0
                ? Results.Json(new { error = $"{parsed.Pattern} is in no list file" }, statusCode: StatusCodes.Status404NotFound)
                : Results.Json(new { pattern = parsed.Pattern, action = parsed.Action.ToString(), changed = changed.Select(s => s.ToString()) });
        });

        api.MapPost("/rules", async (RuleRequest request, HttpContext http, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Pattern))
            {
                return Problem("pattern is required");
            }

            var line = string.IsNullOrWhiteSpace(request.Action) ? request.Pattern.Trim() : $"{request.Pattern.Trim()} {request.Action.Trim()}";
            if (line.Contains('\n', StringComparison.Ordinal) || line.Contains('#', StringComparison.Ordinal))
            {
                return Problem("one rule per request, without comments");
            }

            if (editor.ParseRule(line, out var error) is not { } rule)
            {
                return Problem(error!);
            }

            if (editor.Resolve(request.File) is not { } target)
            {
                return Results.Json(new { error = $"no list file '{request.File}'" }, statusCode: StatusCodes.Status404NotFound);
            }

            if (!await editor.AddAsync(target, rule.Pattern, line, ct))
            {
                return Results.Json(new { error = $"{rule.Pattern} is already in {target.DisplayPath}" }, statusCode: StatusCodes.Status409Conflict);
            }

            Changed(logger, "added", rule.Pattern, target.DisplayPath, Caller(http), access.Credential);
            return Results.Json(new { pattern = rule.Pattern, action = rule.Action.ToString(), file = target.DisplayPath }, statusCode: StatusCodes.Status201Created);
        });

        api.MapDelete("/rules/{pattern}", async (string pattern, string? file, HttpContext http, CancellationToken ct) =>
        {
            if (editor.ParseRule(pattern, out var error) is not { } parsed)
            {
                return Problem(error!);
            }

            var targets = file is null ? editor.Files() : editor.Resolve(file) is { } one ? [one] : [];
            if (targets.Count == 0)
            {
                return Results.Json(new { error = $"no list file '{file}'" }, statusCode: StatusCodes.Status404NotFound);
            }

            var removed = new List<RuleSource>();
            foreach (var target in targets)
            {
                var gone = await editor.RemoveAsync(target, parsed.Pattern, ct);
                if (gone.Count > 0)
                {
                    Changed(logger, "removed", parsed.Pattern, target.DisplayPath, Caller(http), access.Credential);
                    removed.AddRange(gone);
                }
            }

            return removed.Count == 0
                ? Results.Json(new { error = $"{parsed.Pattern} is in no list file" }, statusCode: StatusCodes.Status404NotFound)
                : Results.Json(new { pattern = parsed.Pattern, removed = removed.Select(s => s.ToString()) });
        });

        api.MapGet("/explain", (string? name, string? type, string? client) =>
        {
            if (!DomainNames.TryNormalize(name ?? string.Empty, out var normalized, out var nameError))
            {
                return Problem(nameError);
            }

            var recordType = RecordType.A;
            if (type is not null && !(Enum.TryParse(type, ignoreCase: true, out recordType) && Enum.IsDefined(recordType)))
            {
                return Problem($"unknown record type '{type}'");
            }

            IPAddress? clientAddress = null;
            if (client is not null && !IPAddress.TryParse(client, out clientAddress))
            {
                return Problem($"client '{client}' is not an IP address");
            }

            return Results.Json(Explain(normalized, recordType, policy.Decide(normalized, clientAddress), responses));
        });
    }

    /// <summary>
    /// What <c>nationaldns explain</c> prints, decided as a query from that client (none: a client in no group) would be
    /// now, by the server's rule clock (which <c>--at</c> starts).
    /// </summary>
    private static object Explain(string name, RecordType type, PolicyDecision decision, BlockedResponses responses)
    {
        var rule = decision.Rule;
        return new
        {
            name,
            type = DnsText.TypeName(type),
            at = RuleDates.Format(decision.Context.At),
            group = decision.Group?.Name,
            verdict = ExplainAnswer.Verdict(decision),
            rule = rule?.Pattern,
            source = rule?.Source.ToString(),
            action = rule is null or { IsException: true } ? null : rule.Action.ToString(),
            answer = ExplainAnswer.Text(decision, name, type, responses),
        };
    }

    private static IResult Problem(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status400BadRequest);

    private static string Caller(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : IPAddress.None.ToString();

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Admin API {Change} rule {Pattern} in {File} by {Caller} (token {TokenFingerprint})")]
    private static partial void Changed(ILogger logger, string change, string pattern, string file, string caller, string tokenFingerprint);

    /// <summary>POST /api/rules body.</summary>
    internal sealed record RuleRequest(string? Pattern, string? Action, string? File);

    /// <summary>
    /// One rule in GET /api/rules. <see cref="InForce"/> is whether it applies now to anyone; <see cref="Standing"/> says why
    /// not, or for whom only (<c>only for group north</c>).
    /// </summary>
    internal sealed record RuleView(string Pattern, string Action, bool Exception, string File, int Line, string Source, bool InForce, string? Standing)
    {
        public static RuleView Of(BlockRule rule, RuleStanding standing) =>
            new(rule.Pattern, rule.IsException ? "exception" : rule.Action.ToString(), rule.IsException, rule.Source.File, rule.Source.Line, rule.Source.ToString(), standing.InForce, standing.Note);
    }
}
