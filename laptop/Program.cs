using Thopter.Laptop.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await ThopterCli.RunAsync(args, CliEnvironment.FromProcess(), Console.Out, Console.Error, cancel.Token);
