using NationalDns.Cli;

return await NationalDnsProgram.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
