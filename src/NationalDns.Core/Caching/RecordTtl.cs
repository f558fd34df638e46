using System.Linq.Expressions;
using System.Reflection;
using ARSoft.Tools.Net.Dns;

namespace NationalDns.Core.Caching;

/// <summary>
/// Copies of ARSoft records with another TTL. ARSoft.Tools.Net 3.6.1 keeps the TTL setter internal and offers no
/// public clone, and a cached record must never change under a response already handed out, so the copy is built here:
/// a shallow clone (the record data is immutable and shared), the TTL set, and the hash code ARSoft caches from
/// the record's text (which includes the TTL) cleared.
/// </summary>
/// <remarks>
/// The copier is compiled once into a delegate, so a copy costs one allocation and no reflection. If an ARSoft upgrade
/// renames what it relies on, the type initializer fails loudly and the round-trip test names the cause.
/// </remarks>
internal static class RecordTtl
{
    private static readonly Func<DnsRecordBase, int, DnsRecordBase> Copy = CompileCopier();

    /// <summary>
    /// <paramref name="record"/> itself when its TTL already is <paramref name="ttl"/>, otherwise a copy that differs
    /// from it only in the TTL. The original is never modified.
    /// </summary>
    public static DnsRecordBase WithTtl(DnsRecordBase record, int ttl)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.TimeToLive == ttl ? record : Copy(record, ttl);
    }

    private static Func<DnsRecordBase, int, DnsRecordBase> CompileCopier()
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var memberwiseClone = typeof(object).GetMethod(nameof(MemberwiseClone), instance)
            ?? throw new MissingMethodException(nameof(Object), nameof(MemberwiseClone));
        var ttlSetter = typeof(DnsRecordBase).GetProperty(nameof(DnsRecordBase.TimeToLive), instance)?.GetSetMethod(nonPublic: true)
            ?? throw new MissingMethodException(nameof(DnsRecordBase), "set_" + nameof(DnsRecordBase.TimeToLive));
        var cachedHash = typeof(DnsRecordBase).GetField("_hashCode", instance)
            ?? throw new MissingFieldException(nameof(DnsRecordBase), "_hashCode");

        var record = Expression.Parameter(typeof(DnsRecordBase), "record");
        var ttl = Expression.Parameter(typeof(int), "ttl");
        var copy = Expression.Variable(typeof(DnsRecordBase), "copy");
        var body = Expression.Block(
            [copy],
            Expression.Assign(copy, Expression.Convert(Expression.Call(record, memberwiseClone), typeof(DnsRecordBase))),
            Expression.Call(copy, ttlSetter, ttl),
            Expression.Assign(Expression.Field(copy, cachedHash), Expression.Default(cachedHash.FieldType)),
            copy);
        return Expression.Lambda<Func<DnsRecordBase, int, DnsRecordBase>>(body, record, ttl).Compile();
    }
}
