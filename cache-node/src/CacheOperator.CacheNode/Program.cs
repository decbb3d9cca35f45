Console.WriteLine("cache-node");
