using CacheOperator.Server.Hosting;

namespace CacheOperator.Server.Tests;

public class SocketEngineSettingsTests
{
    [Fact]
    public void Settings_Threads_BecomeTheSocketEngineThreadCount_WithInlineCompletions()
    {
        var settings = SocketEngineSettings.Settings(1, _ => null);

        Assert.Equal(
            [new(SocketEngineSettings.InlineCompletionsVariable, "1"), new(SocketEngineSettings.ThreadCountVariable, "1")],
            settings);
    }

    [Fact]
    public void Settings_VariablesAlreadyInTheEnvironment_AreLeftAsTheyAre()
    {
        var environment = new Dictionary<string, string>
        {
            [SocketEngineSettings.InlineCompletionsVariable] = "0",
            [SocketEngineSettings.ThreadCountVariable] = "4",
        };

        var settings = SocketEngineSettings.Settings(1, name => environment.GetValueOrDefault(name));

        Assert.Empty(settings);
    }
}
