using System.Net;

namespace NationalDns.Core.Policy.Behaviours;

/// <summary>One operator's block-page address, as <c>stub PROFILE</c> answers it, and where the address was recorded.</summary>
public sealed record StubProfile(string Name, IPAddress IPv4, IPAddress? IPv6, string Operator, string Source);
