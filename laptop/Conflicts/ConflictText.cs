using Thopter.Laptop.Conflicts.Store;

namespace Thopter.Laptop.Conflicts;

/// <summary>The one-line story of a conflict, the same in the event stream, the notification and the CLI.</summary>
public static class ConflictText
{
    public static string Collected(ConflictRecord record) =>
        $"{record.Original}: {record.Current.Who}'s version stays in the folder, {record.Aside.Who}'s is set aside " +
        $"(`thopter sync conflicts show {record.Original}`)";
}
