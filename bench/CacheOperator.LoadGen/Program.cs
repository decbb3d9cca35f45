Console.WriteLine("loadgen");
