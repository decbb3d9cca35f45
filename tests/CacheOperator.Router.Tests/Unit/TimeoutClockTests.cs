using CacheOperator.Router.Backends;

namespace CacheOperator.Router.Tests.Unit;

public sealed class TimeoutClockTests
{
    private const long Period = 25;

    [Fact]
    public void TicksOnTime_AreAllJudged()
    {
        var clock = new TimeoutClock(Period);

        Assert.All(Enumerable.Range(0, 100), i => Assert.True(clock.Tick(i * Period)));
        Assert.Equal(0, clock.Stalls);
    }

    [Fact]
    public void SlightlyLateTicks_AreJudged()
    {
        var clock = new TimeoutClock(Period);
        clock.Tick(0);

        // Up to four periods late is scheduling noise, not a stall.
        Assert.True(clock.Tick(4 * Period));
        Assert.True(clock.Tick(8 * Period));
        Assert.Equal(0, clock.Stalls);
    }

    [Fact]
    public void TickAfterAStall_IsSkipped_AndTheNextIsJudged()
    {
        var clock = new TimeoutClock(Period);
        clock.Tick(0);

        Assert.False(clock.Tick(1000));
        Assert.True(clock.Tick(1000 + Period));
        Assert.Equal(1, clock.Stalls);
    }

    [Fact]
    public void RouterStarvedWithoutEnd_StillJudgesEveryOtherTick()
    {
        // Every tick a second late: a hung backend must still be found, so skips never come two in a row.
        var clock = new TimeoutClock(Period);
        clock.Tick(0);

        var judged = Enumerable.Range(1, 10).Select(i => clock.Tick(i * 1000)).ToArray();

        Assert.Equal([false, true, false, true, false, true, false, true, false, true], judged);
        Assert.Equal(5, clock.Stalls);
    }
}
