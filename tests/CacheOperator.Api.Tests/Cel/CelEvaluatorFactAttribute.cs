namespace CacheOperator.Api.Tests.Cel;

/// <summary>A fact that is reported as skipped, with the reason, where cel-es or node is not installed.</summary>
internal sealed class CelEvaluatorFactAttribute : FactAttribute
{
    public CelEvaluatorFactAttribute()
    {
        if (!CelEvaluator.Available)
            Skip = CelEvaluator.MissingReason;
    }
}
