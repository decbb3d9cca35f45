Console.WriteLine("evictionsim");
