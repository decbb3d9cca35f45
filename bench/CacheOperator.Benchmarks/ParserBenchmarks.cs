using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using CacheOperator.Protocol;

namespace CacheOperator.Benchmarks;

/// <summary>
/// The request parser over a pipelined batch of 16 gets, as one read delivers it: find each line, tokenize it,
/// identify the command and walk its keys. Contiguous and split over two buffers (a pipe's segments).
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private const int BatchSize = 16;

    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _split;
    private readonly byte[] _scratch = new byte[8192];

    [GlobalSetup]
    public void Setup()
    {
        byte[] batch = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, BatchSize).Select(i => $"get key:{i:D28}\r\n")));
        _contiguous = new ReadOnlySequence<byte>(batch);
        _split = SplitSequence.Of(batch, batch.Length / 2 + 3);
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Batch16Gets() => ParseAll(_contiguous);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Batch16GetsSplitAcrossSegments() => ParseAll(_split);

    private int ParseAll(ReadOnlySequence<byte> buffer)
    {
        int keyBytes = 0;
        while (RequestParser.TryReadLine(in buffer, _scratch, out ReadOnlySpan<byte> text, out SequencePosition next) == LineStatus.Complete)
        {
            RequestLine line = RequestLine.Parse(text);
            if (line.Command == CommandType.Get)
            {
                foreach (ReadOnlySpan<byte> key in line.KeysFrom(1))
                    keyBytes += key.Length;
            }

            buffer = buffer.Slice(next);
        }

        return keyBytes;
    }
}
