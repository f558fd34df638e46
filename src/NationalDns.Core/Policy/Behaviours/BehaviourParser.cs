using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>
/// Parses the arguments of the censor behaviours: <c>throttle DELAY [loss=P%] [jitter=J]</c>, <c>forge [IP...]</c> and
/// <c>stub PROFILE</c>. The words always start with the keyword. Errors are the reason part of
/// <c>file:line: reason</c>.
/// </summary>
internal static class BehaviourParser
{
    public const string ThrottleExample = "throttle 800ms loss=28% jitter=200ms";

    public static bool TryParseThrottle(IReadOnlyList<string> words, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error)
    {
        action = null;
        TimeSpan? delay = null, jitter = null;
        double? loss = null;
        foreach (var word in words.Skip(1))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (delay is not null)
                {
                    error = $"throttle takes one delay, got a second '{word}'";
                    return false;
                }

                if (!ActionDurations.TryParse(word, out var parsed))
                {
                    error = $"bad throttle delay '{word}' (write a duration such as 800ms or 1.5s)";
                    return false;
                }

                delay = parsed;
                continue;
            }

            var key = word[..equals].ToLowerInvariant();
            var value = word[(equals + 1)..];
            switch (key)
            {
                case "loss" when loss is not null:
                case "jitter" when jitter is not null:
                    error = $"throttle option '{key}' given twice";
                    return false;
                case "loss":
                    if (!TryParsePercent(value, out var percent))
                    {
                        error = $"bad loss '{value}' (write a percentage from 0% to 100%, e.g. loss=28%)";
                        return false;
                    }

                    loss = percent;
                    break;
                case "jitter":
                    if (!ActionDurations.TryParse(value, out var parsedJitter))
                    {
                        error = $"bad jitter '{value}' (write a duration such as 200ms)";
                        return false;
                    }

                    jitter = parsedJitter;
                    break;
                default:
                    error = $"unknown throttle option '{word}' (expected loss=P% or jitter=DURATION)";
                    return false;
            }
        }

        if (delay is not { } d)
        {
            error = $"throttle needs a delay, e.g. '{ThrottleExample}'";
            return false;
        }

        if (d > ThrottleSettings.MaxDelay)
        {
            error = $"throttle delay '{ActionDurations.Format(d)}' is longer than the most allowed, {ActionDurations.Format(ThrottleSettings.MaxDelay)}";
            return false;
        }

        if (jitter > d)
        {
            error = $"jitter '{ActionDurations.Format(jitter.Value)}' is larger than the delay '{ActionDurations.Format(d)}'";
            return false;
        }

        action = new BlockAction(BlockActionKind.Throttle) { Throttle = new ThrottleSettings(d, jitter ?? TimeSpan.Zero, loss ?? 0) };
        error = null;
        return true;
    }

    public static bool TryParseForge(IReadOnlyList<string> words, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error)
    {
        action = null;
        var addresses = new List<IPAddress>(words.Count - 1);
        foreach (var word in words.Skip(1))
        {
            if (!BlockAction.TryParseAddress(word, out var address))
            {
                error = $"bad forge address '{word}'";
                return false;
            }

            addresses.Add(address);
        }

        action = new BlockAction(BlockActionKind.Forge) { ForgeAddresses = addresses };
        error = null;
        return true;
    }

    public static bool TryParseStub(IReadOnlyList<string> words, [NotNullWhen(true)] out BlockAction? action, [NotNullWhen(false)] out string? error)
    {
        action = null;
        if (words.Count < 2)
        {
            error = $"stub needs a profile name (known: {StubProfiles.KnownNames})";
            return false;
        }

        if (words.Count > 2)
        {
            error = $"stub takes one profile name, got a second '{words[2]}'";
            return false;
        }

        if (!StubProfiles.Shipped.TryGetValue(words[1], out var profile))
        {
            error = $"unknown stub profile '{words[1]}' (known: {StubProfiles.KnownNames})";
            return false;
        }

        action = new BlockAction(BlockActionKind.Stub, profile.IPv4, profile.IPv6) { Stub = profile };
        error = null;
        return true;
    }

    private static bool TryParsePercent(string text, out double percent)
    {
        var number = text.EndsWith('%') ? text[..^1] : text;
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percent) && percent is >= 0 and <= 100;
    }
}
