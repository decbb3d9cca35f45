using System.CommandLine;
using CacheOperator.Sandbox;
using CacheOperator.Sandbox.Commands;

var stateDir = new Option<string>("--state-dir") { Description = "The sandbox's state folder", DefaultValueFactory = _ => StatePaths.DefaultRoot };
var port = new Option<int>("--port") { Description = "API server port (0 = a free one)", DefaultValueFactory = _ => 0 };
var persist = new Option<bool>("--persist") { Description = "Snapshot the store on stop and restore it on start" };
var images = new Option<string[]>("--image")
{
    Description = "Image short name to executable, e.g. cache-node=/path/to/cache-node (repeatable)",
    DefaultValueFactory = _ => [],
};
var timeout = new Option<int>("--timeout") { Description = "Seconds to wait", DefaultValueFactory = _ => 60 };

var up = new Command("up", "Start the sandbox in the background and write its kubeconfig") { stateDir, port, persist, images, timeout };
up.SetAction((parsed, _) => UpCommand.RunAsync(new StatePaths(parsed.GetValue(stateDir)!), parsed.GetValue(port),
    parsed.GetValue(persist), parsed.GetValue(images)!, TimeSpan.FromSeconds(parsed.GetValue(timeout))));

var serve = new Command("serve", "Run the sandbox in the foreground (what up starts)") { stateDir, port, persist, images };
serve.SetAction((parsed, _) =>
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (var image in parsed.GetValue(images)!)
    {
        var eq = image.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            Console.Error.WriteLine($"sandbox: --image expects name=path, got \"{image}\"");
            return Task.FromResult(2);
        }

        map[image[..eq]] = image[(eq + 1)..];
    }

    return ServeCommand.RunAsync(new StatePaths(parsed.GetValue(stateDir)!), parsed.GetValue(port), parsed.GetValue(persist), map);
});

var down = new Command("down", "Stop the sandbox (pods get SIGTERM, then SIGKILL)") { stateDir, timeout };
down.SetAction((parsed, _) => DownCommand.RunAsync(new StatePaths(parsed.GetValue(stateDir)!), TimeSpan.FromSeconds(parsed.GetValue(timeout))));

var status = new Command("status", "Whether the sandbox is up, its API URL, node and pods") { stateDir };
status.SetAction((parsed, _) => StatusCommand.RunAsync(new StatePaths(parsed.GetValue(stateDir)!)));

var target = new Argument<string>("pod") { Description = "<namespace>/<pod> (namespace default when omitted)" };
var fault = new Argument<string>("fault") { Description = "kill, freeze or thaw" };
var faultCommand = new Command("fault", "Inject a fault into a pod's process (sets the sandbox.cacheoperator.io/fault annotation)")
{
    stateDir, target, fault,
};
faultCommand.SetAction((parsed, _) =>
    FaultCommand.RunAsync(new StatePaths(parsed.GetValue(stateDir)!), parsed.GetValue(target)!, parsed.GetValue(fault)!));

var root = new RootCommand("The CacheOperator sandbox: an in-memory Kubernetes API server, controllers and a process kubelet")
{
    up, serve, down, status, faultCommand,
};
return await root.Parse(args).InvokeAsync();
