using System.CommandLine;
using Thopter.Agent.Commands;

var root = new RootCommand("thopter-agent: provisions SyncThing on a devbox");
root.Subcommands.Add(RunCommand.Create());
return await root.Parse(args).InvokeAsync();
