namespace NationalDns.Core.Caching;

/// <summary>
/// What a cache hit read from a datagram takes from the client's query: its ID, RD and CD, and its EDNS (present or
/// not, the payload size to answer with, between 512 and our cap, and DO).
/// </summary>
internal readonly record struct CachedQuery(ushort Id, bool RecursionDesired, bool CheckingDisabled, bool Edns, ushort PayloadSize, bool DnssecOk);
