return await DistributedGmm.Cli.GmmApp.RunAsync(args);
