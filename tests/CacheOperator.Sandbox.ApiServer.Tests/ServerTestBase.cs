using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CacheOperator.Sandbox.ApiServer.Tests;

/// <summary>A fresh sandbox API server per test, and a small HTTP client over it.</summary>
public abstract class ServerTestBase : IAsyncLifetime
{
    protected SandboxApiServer Server { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected virtual SandboxApiServerOptions Options => new();

    public virtual async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(Options);
        Http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    protected static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    protected static string TestData(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", name));

    protected Task<ApiResponse> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, null, accept);

    protected Task<ApiResponse> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json, "application/json");

    protected Task<ApiResponse> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json, "application/json");

    protected Task<ApiResponse> PatchAsync(string path, string contentType, string body) => SendAsync(HttpMethod.Patch, path, body, contentType);

    protected Task<ApiResponse> DeleteAsync(string path, string? json = null) => SendAsync(HttpMethod.Delete, path, json, json is null ? null : "application/json");

    protected async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON (healthz): keep the text.
        }

        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        return new ApiResponse(response.StatusCode, json, warnings, text);
    }

    /// <summary>Creates a ConfigMap in a namespace and returns the stored object.</summary>
    protected async Task<JsonObject> CreateConfigMapAsync(string name, string ns = "default", string? labels = null, string? extraMetadata = null)
    {
        var labelPart = labels is null ? "" : $",\"labels\":{labels}";
        var extra = extraMetadata is null ? "" : "," + extraMetadata;
        var response = await PostAsync($"/api/v1/namespaces/{ns}/configmaps",
            $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\"{labelPart}{extra}}},\"data\":{{\"k\":\"v\"}}}}");
        Assert.True(response.Status == System.Net.HttpStatusCode.Created, response.ToString());
        return response.Object;
    }

    /// <summary>Registers testdata/widgets-crd.yaml (Widget, test.sandbox.io/v1alpha1).</summary>
    protected async Task RegisterWidgetCrdAsync()
    {
        var crd = YamlJson.ParseObject(TestData("widgets-crd.yaml"));
        var response = await PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.ToJsonString());
        Assert.True(response.Status == System.Net.HttpStatusCode.Created, response.ToString());
    }

    protected const string WidgetsPath = "/apis/test.sandbox.io/v1alpha1/namespaces/default/widgets";

    protected async Task<ApiResponse> CreateWidgetAsync(string name, string spec) =>
        await PostAsync(WidgetsPath, $"{{\"apiVersion\":\"test.sandbox.io/v1alpha1\",\"kind\":\"Widget\",\"metadata\":{{\"name\":\"{name}\"}},\"spec\":{spec}}}");
}
