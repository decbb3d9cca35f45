using System.Text;
using static CacheOperator.Storage.Tests.StoreTestKit;

namespace CacheOperator.Storage.Tests;

/// <summary>Random operations against the store and a dictionary model must agree while nothing is evicted.</summary>
public sealed class ModelBasedTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomOperations_MatchADictionaryModel(int seed)
    {
        Random random = new(seed);
        using CacheStore store = NewStore(64L << 20);
        Dictionary<string, (string Value, uint Flags)> model = [];
        for (int step = 0; step < 60_000; step++)
        {
            string key = $"key:{random.Next(3000)}";
            int op = random.Next(100);
            if (op < 40)
            {
                string value = RandomValue(random);
                uint flags = (uint)random.Next();
                Assert.Equal(StoreResult.Stored, store.Set(key, value, flags));
                model[key] = (value, flags);
            }
            else if (op < 50)
            {
                bool existed = model.Remove(key);
                Assert.Equal(existed ? DeleteResult.Deleted : DeleteResult.NotFound, store.Delete(B(key), default));
            }
            else if (op < 55)
            {
                string value = RandomValue(random);
                StoreResult result = store.Put(StoreMode.Add, key, value);
                Assert.Equal(model.ContainsKey(key) ? StoreResult.NotStored : StoreResult.Stored, result);
                if (result == StoreResult.Stored)
                    model[key] = (value, 0);
            }
            else if (op < 60)
            {
                string suffix = RandomValue(random);
                StoreResult result = store.Put(StoreMode.Append, key, suffix);
                Assert.Equal(model.ContainsKey(key) ? StoreResult.Stored : StoreResult.NotStored, result);
                if (result == StoreResult.Stored)
                    model[key] = (model[key].Value + suffix, model[key].Flags);
            }
            else
            {
                Snapshot? item = store.Get(key);
                if (model.TryGetValue(key, out var expected))
                {
                    Assert.NotNull(item);
                    Assert.Equal(expected.Value, item.Value);
                    Assert.Equal(expected.Flags, item.Flags);
                }
                else
                {
                    Assert.Null(item);
                }
            }
        }

        Assert.Equal(model.Count, store.GetStats().CurrentItems);
        foreach ((string key, (string value, _)) in model)
            Assert.Equal(value, store.GetValue(key));
    }

    private static string RandomValue(Random random)
    {
        int length = random.Next(0, 64);
        StringBuilder builder = new(length);
        for (int i = 0; i < length; i++)
            builder.Append((char)('a' + random.Next(26)));
        return builder.ToString();
    }
}
