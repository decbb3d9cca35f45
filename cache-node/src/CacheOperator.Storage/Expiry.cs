namespace CacheOperator.Storage;

/// <summary>memcached's exptime rules, in one place.</summary>
public static class Expiry
{
    /// <summary>Exptimes up to this many seconds are relative; larger ones are absolute unix times.</summary>
    public const long MaxRelativeSeconds = 60L * 60 * 24 * 30;

    /// <summary>Marks an item that is already expired (a negative exptime, or an absolute time in the past).</summary>
    public const uint Expired = 1;

    /// <summary>
    /// Absolute unix seconds for an exptime: 0 never (returns 0), negative already expired, up to 30 days
    /// relative to now, else absolute.
    /// </summary>
    public static uint ToAbsolute(long exptime, uint now)
    {
        if (exptime == 0)
            return 0;
        if (exptime < 0)
            return Expired;
        if (exptime <= MaxRelativeSeconds)
            return (uint)Math.Min(uint.MaxValue, now + exptime);
        return exptime <= now ? Expired : (uint)Math.Min(uint.MaxValue, exptime);
    }

    /// <summary>True when an item with this absolute expiry is dead at <paramref name="now"/>.</summary>
    public static bool IsExpired(uint expiresAt, uint now) => expiresAt != 0 && expiresAt <= now;

    /// <summary>Remaining seconds for an absolute expiry, -1 for never (meta 't').</summary>
    public static long TimeToLive(uint expiresAt, uint now) => expiresAt == 0 ? -1 : Math.Max(0L, (long)expiresAt - now);
}
