namespace NationalDns.Core.Policy.Lists;

/// <summary>A reload that changed something: the new snapshot and what changed since the previous one.</summary>
public sealed record BlocklistReload(BlocklistSnapshot Snapshot, BlocklistChange Change);
