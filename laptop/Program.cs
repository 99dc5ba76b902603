using System.Runtime.InteropServices;
using Thopter.Laptop.Cli;

using var cancel = new CancellationTokenSource();

// Ctrl-C and SIGTERM cancel the command instead of ending the process: the transport child (ssh, docker exec) is
// killed, temp files are removed and the user still sees "interrupted" with exit 130.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await ThopterCli.RunAsync(args, CliEnvironment.FromProcess(), Console.Out, Console.Error, cancel.Token);

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    cancel.Cancel();
}
