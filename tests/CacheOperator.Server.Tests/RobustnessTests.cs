using System.Text;

namespace CacheOperator.Server.Tests;

/// <summary>Malformed and random input never breaks a session: it answers or closes, and never throws or hangs.</summary>
public class RobustnessTests
{
    private static readonly string[] Words =
    [
        "get", "gets", "gat", "gats", "set", "add", "replace", "append", "prepend", "cas", "delete", "incr", "decr",
        "touch", "flush_all", "version", "verbosity", "stats", "mg", "ms", "md", "ma", "mn", "me", "noreply",
        "k", "key", "0", "1", "3", "-1", "+5", "18446744073709551616", "4294967296", "2147483648", "abc",
        "v", "c", "t", "f", "s", "k", "q", "b", "T30", "N10", "R5", "E7", "C1", "F3", "MS", "ME", "MA", "MI", "MD", "M",
        "D2", "J9", "Oopaque", "I", "x", "u", "h", "l", "T", "N", "bXMz", "!!!", "",
    ];

    [Fact]
    public async Task RandomRequests_SessionAnswersOrClosesWithoutFault()
    {
        var random = new Random(20261121);
        for (var round = 0; round < 150; round++)
        {
            var input = new StringBuilder();
            var lines = random.Next(1, 12);
            for (var i = 0; i < lines; i++)
            {
                var tokens = random.Next(0, 8);
                for (var t = 0; t < tokens; t++)
                    input.Append(Words[random.Next(Words.Length)]).Append(random.Next(4) == 0 ? "  " : " ");
                input.Append(random.Next(5) switch { 0 => "\n", 1 => "\r", _ => "\r\n" });
                if (random.Next(3) == 0)
                    input.Append(new string('d', random.Next(0, 6))).Append("\r\n");
            }

            await using var session = new SessionHarness();
            var bytes = Encoding.Latin1.GetBytes(input.ToString());
            var cut = random.Next(bytes.Length + 1);
            await session.SendAsync(bytes.AsMemory(0, cut));
            await session.SendAsync(bytes.AsMemory(cut));
            await session.SendAsync("\r\nquit\r\n");

            await session.ReadToEndAsync();
            await session.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(session.Completion.IsCompletedSuccessfully, $"round {round}: {input}");
        }
    }
}
