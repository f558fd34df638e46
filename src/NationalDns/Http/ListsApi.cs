using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NationalDns.Core.Policy;
using NationalDns.Core.Policy.Lists;

namespace NationalDns.Http;

/// <summary>
/// <c>GET /api/lists</c>: how each list file loaded the last time the server read it (the report <c>check</c>
/// prints): its rule and exception counts, the lines it skipped and why, and a read error if it could not be read,
/// plus duplicate-rule warnings and configured paths that are missing. The console's Lists page and Block button read it.
/// </summary>
internal static class ListsApi
{
    public static void Map(IEndpointRouteBuilder api, BlocklistLoader loader)
    {
        api.MapGet("/lists", () =>
        {
            if (loader.Current is not { } snapshot)
            {
                return Results.Json(new { error = "the lists are not loaded yet" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return Results.Json(new
            {
                rules = snapshot.RuleCount,
                exceptions = snapshot.ExceptionCount,
                files = snapshot.Files.Select(f => new
                {
                    file = f.DisplayPath,
                    format = f.Format.ToString().ToLowerInvariant(),
                    rules = f.RuleCount,
                    exceptions = f.ExceptionCount,
                    skipped = f.Skipped,
                    readError = f.ReadError,
                    problems = f.Problems.Select(Problem),
                }),
                warnings = snapshot.Warnings.Select(Problem),
                errors = snapshot.Errors,
            });
        });
    }

    private static object Problem(ListProblem problem) => new { source = problem.Source.ToString(), line = problem.Source.Line, reason = problem.Reason };
}
