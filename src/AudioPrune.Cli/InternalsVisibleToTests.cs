[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AudioPrune.Tests")]
