using CacheOperator.Reconciler.Resources;

namespace CacheOperator.Reconciler.Tests;

public class NodeMemoryTests
{
    [Theory]
    [InlineData("64Mi", "144Mi")]
    [InlineData("256Mi", "384Mi")]
    [InlineData("1Gi", "1344Mi")]
    [InlineData("4Gi", "5184Mi")]
    [InlineData("100M", "184Mi")]
    public void ContainerQuantity_IsItemMemoryPlusAQuarterPlus64Mi_RoundedUpToMi(string memory, string container) =>
        Assert.Equal(container, NodeMemory.ContainerQuantity(memory));

    [Theory]
    [InlineData("64Mi", 64)]
    [InlineData("1Gi", 1024)]
    [InlineData("100M", 95)]
    [InlineData("1000", 1)]
    public void ItemMemoryMegabytes_RoundsDown_AtLeastOne(string memory, int megabytes) =>
        Assert.Equal(megabytes, NodeMemory.ItemMemoryMegabytes(MemoryQuantity.ParseBytes(memory)));
}
