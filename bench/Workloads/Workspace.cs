using System.Security.Cryptography;

namespace Thopter.Bench.Workloads;

/// <summary>
/// A generated repository-like tree: <see cref="Files"/> source files (random bytes, sizes spread around the mean so the
/// total is <see cref="Bytes"/>) in <see cref="Directories"/> directories, beside a <c>node_modules</c> of
/// <see cref="DependencyFiles"/> small files in <see cref="DependencyDirectories"/> directories, which thopter's default
/// .stignore excludes.
/// </summary>
public sealed record Workspace(int Files, int Directories, long Bytes, int DependencyFiles, int DependencyDirectories)
{
    /// <summary>Issue 17's P7 workspace.</summary>
    public static Workspace Full { get; } = new(20_000, 2_000, 300L * 1024 * 1024, 100_000, 20_000);

    /// <summary>A tenth of it, for --quick.</summary>
    public static Workspace Quick { get; } = new(2_000, 200, 30L * 1024 * 1024, 10_000, 2_000);

    public override string ToString() =>
        $"{Files:N0} files / {Bytes / (1024 * 1024)} MB in {Directories:N0} directories + node_modules of {DependencyFiles:N0} files in {DependencyDirectories:N0} directories";

    /// <summary>Writes the tree under <paramref name="root"/> (which must not exist yet).</summary>
    public void Generate(string root)
    {
        var meanSize = (int)(Bytes / Files);
        var random = new Random(17);
        var buffer = new byte[meanSize * 2];
        RandomNumberGenerator.Fill(buffer);
        var lastSkew = 0;
        for (var i = 0; i < Files; i++)
        {
            // Sizes from half to one and a half of the mean, pairwise balanced so the total is exact.
            var skew = i % 2 == 0 ? random.Next(-meanSize / 2, meanSize / 2) : -lastSkew;
            lastSkew = skew;
            var directory = Path.Combine(root, "src", $"m{i % Directories / 100:D2}", $"d{i % Directories:D4}");
            Directory.CreateDirectory(directory);
            // A different slice per file, so SyncThing cannot deduplicate blocks across files.
            var offset = random.Next(0, meanSize / 2);
            File.WriteAllBytes(Path.Combine(directory, $"f{i:D5}.bin"), buffer.AsSpan(offset, meanSize + skew).ToArray());
        }

        var small = new byte[200];
        for (var i = 0; i < DependencyFiles; i++)
        {
            var directory = Path.Combine(root, "node_modules", $"p{i % DependencyDirectories / 100:D3}", $"q{i % DependencyDirectories:D5}");
            Directory.CreateDirectory(directory);
            random.NextBytes(small);
            File.WriteAllBytes(Path.Combine(directory, $"i{i:D6}.js"), small);
        }
    }

    /// <summary>Directories the tree has outside node_modules (the folder, src, its groups and leaves).</summary>
    public int SyncedDirectories => 2 + (Directories + 99) / 100 + Directories;
}
