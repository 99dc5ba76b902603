namespace Thopter.Shared.Devices;

/// <summary>
/// SyncThing's check character over base32 text. It is not textbook Luhn mod N: SyncThing
/// alternates factors 1,2 starting with 1 from the left, and that exact variant is what
/// every SyncThing accepts, so it is reproduced here rather than "fixed".
/// </summary>
internal static class Luhn32
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static int CodePoint(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= '2' and <= '7' => c - '2' + 26,
        _ => -1,
    };

    /// <summary>The check character for <paramref name="group"/>, which must hold only alphabet characters.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> group)
    {
        const int n = 32;
        var factor = 1;
        var sum = 0;
        foreach (var c in group)
        {
            var addend = factor * CodePoint(c);
            factor = factor == 2 ? 1 : 2;
            sum += (addend / n) + (addend % n);
        }

        return Alphabet[(n - (sum % n)) % n];
    }
}
