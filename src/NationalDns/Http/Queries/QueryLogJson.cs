using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NationalDns.Core.QueryLog;

namespace NationalDns.Http.Queries;

/// <summary>
/// How entries look in JSON: camelCase, every field present (null when empty) so a client sees one shape, and
/// without the wire messages, which only dnstap wants and which would be base64 noise here.
/// </summary>
internal static class QueryLogJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutMessages } },
    };

    private static void WithoutMessages(JsonTypeInfo info)
    {
        if (info.Type != typeof(QueryLogEntry))
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].PropertyType == typeof(ReadOnlyMemory<byte>?))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }
}
