using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CacheOperator.Kubernetes.Models;

namespace CacheOperator.Kubernetes;

public sealed partial class KubernetesClient
{
    private const int MaxMessageInSynthesisedStatus = 512;

    /// <summary>
    /// Sends a request, retrying (exponential backoff with jitter, capped; a server's Retry-After wins) at
    /// most <c>MaxRetries</c> times when the request cannot have had an effect or repeating it is harmless:
    /// <list type="bullet">
    /// <item>reads (<paramref name="idempotent"/>): on 429, 5xx, a timeout and any connection failure;</item>
    /// <item>writes: on 429 (the server turned the request away before handling it: priority and fairness,
    /// max-in-flight), on a 5xx that carries Retry-After (the server's own "not handled, come back"), and on a
    /// connection that could not be opened (nothing was sent). A write that failed any other way may have been
    /// applied, so it surfaces to the caller, who re-reads before trying again. 409 is never retried here
    /// (<see cref="KubernetesRetry"/> is the caller's tool).</item>
    /// </list>
    /// The request is rebuilt for each attempt because a sent HttpRequestMessage cannot be sent again.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body,
        string? contentType, bool idempotent, HttpCompletionOption completion, CancellationToken ct)
    {
        var uri = new Uri(_serverPrefix + pathAndQuery);
        for (int attempt = 0; ; attempt++)
        {
            bool mayRetry = attempt < _config.MaxRetries;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_config.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(method, uri);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
                }
                if (_token.Current() is { Length: > 0 } token)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (mayRetry && (idempotent || e.HttpRequestError == HttpRequestError.ConnectionError))
            {
                await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                if (mayRetry && idempotent)
                {
                    await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
                    continue;
                }
                throw new TimeoutException($"The API server did not answer within {_config.RequestTimeout}.", e);
            }

            if (mayRetry && IsRetryable(response, idempotent))
            {
                var delay = RetryAfter(response) ?? Backoff(attempt);
                response.Dispose();
                await Task.Delay(delay, ct).ConfigureAwait(false);
                continue;
            }
            return response;
        }
    }

    private static bool IsRetryable(HttpResponseMessage response, bool idempotent)
    {
        int code = (int)response.StatusCode;
        if (code == 429)
            return true;
        if (code < 500)
            return false;
        return idempotent || response.Headers.RetryAfter is not null;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta
            ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } w)
            return null;
        if (w < TimeSpan.Zero)
            return TimeSpan.Zero;
        return w > _config.RetryMaxDelay ? _config.RetryMaxDelay : w;
    }

    private TimeSpan Backoff(int attempt)
    {
        // Half fixed, half random ("equal jitter"): clients that failed together spread out, yet none retries at
        // once after a server asked everyone to back off.
        double capMs = Math.Min(_config.RetryMaxDelay.TotalMilliseconds,
            _config.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(capMs / 2 + (Random.Shared.NextDouble() * capMs / 2));
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw await ErrorAsync(response, ct).ConfigureAwait(false);
    }

    private static async Task<T> ReadObjectAsync<T>(HttpResponseMessage response, KubernetesResourceAttribute resource,
        CancellationToken ct) where T : KubernetesObject
    {
        await EnsureSuccessAsync(response, ct).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return Typed<T>(body, resource);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return JsonSerializer.Deserialize<T>(body, KubernetesJson.Options)
            ?? throw new JsonException("The server answered null.");
    }

    /// <summary>The server's Status from the body, or one made up from the HTTP code when the body is not a Status
    /// (a proxy's HTML page, an empty body).</summary>
    internal static async Task<KubernetesApiException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        int code = (int)response.StatusCode;
        var status = TryParseStatus(body);
        if (status is null)
        {
            string message = body.Trim();
            if (message.Length > MaxMessageInSynthesisedStatus)
                message = message[..MaxMessageInSynthesisedStatus] + "...";
            status = new Status
            {
                Outcome = "Failure",
                Code = code,
                Reason = ReasonOf(response.StatusCode),
                Message = message.Length > 0 ? message : response.ReasonPhrase ?? $"HTTP {code}",
            };
        }
        else if (status.Code == 0)
        {
            status.Code = code;
        }
        return new KubernetesApiException(status);
    }

    internal static Status? TryParseStatus(string body)
    {
        if (body.Length == 0 || body[0] != '{')
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("kind", out var kind) || !kind.ValueEquals("Status"))
                return null;
            return doc.RootElement.Deserialize<Status>(KubernetesJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The Status reason the API server uses for an HTTP code.</summary>
    internal static string ReasonOf(HttpStatusCode code) => (int)code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Expired",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };

}
