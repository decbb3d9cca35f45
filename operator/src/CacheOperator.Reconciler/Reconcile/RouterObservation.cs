namespace CacheOperator.Reconciler.Reconcile;

/// <summary>The routers as seen this reconcile.</summary>
/// <param name="Desired">spec.router.replicas.</param>
/// <param name="Ready">Ready router pods.</param>
/// <param name="Serving">Ready routers that report serving the current ring (or took it just now).</param>
/// <param name="LowestVersion">Lowest ring version a ready router reported; null when none answered.</param>
public sealed record RouterObservation(int Desired, int Ready, int Serving, long? LowestVersion);
