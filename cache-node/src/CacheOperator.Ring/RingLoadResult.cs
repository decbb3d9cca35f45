namespace CacheOperator.Ring;

/// <summary>Outcome of offering a ring document to a <see cref="RingLoader"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="CurrentVersion">Version in use afterwards (0 when there is none yet).</param>
/// <param name="Error">Why the document was not applied, when it was not.</param>
public readonly record struct RingLoadResult(RingLoadStatus Status, long CurrentVersion, string? Error);
