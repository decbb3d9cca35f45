namespace CacheOperator.LoadGen;

/// <summary>The phase shared by the main thread (which moves it) and the workers (which read it).</summary>
internal sealed class RunControl
{
    private int _phase;

    public RunPhase Phase
    {
        get => (RunPhase)Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, (int)value);
    }
}
