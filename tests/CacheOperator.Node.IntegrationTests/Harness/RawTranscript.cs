namespace CacheOperator.Node.IntegrationTests.Harness;

/// <summary>What a server sent back during a raw conversation, and how the conversation ended.</summary>
/// <param name="Reply">Every byte received, in order.</param>
/// <param name="ClosedByServer">The server closed (or reset) the connection.</param>
/// <param name="DeadlineExceeded">The conversation hit its overall deadline before finishing.</param>
public sealed record RawTranscript(byte[] Reply, bool ClosedByServer, bool DeadlineExceeded)
{
    /// <summary>The normalised, escaped reply plus how it ended: the string two servers must agree on.</summary>
    public string Render()
    {
        var text = ReplyNormalizer.Normalize(Reply);
        var rendered = ByteText.Escape(text);
        if (ClosedByServer)
        {
            rendered += "\n<connection closed by server>";
        }

        if (DeadlineExceeded)
        {
            rendered += "\n<conversation deadline exceeded>";
        }

        return rendered;
    }
}
