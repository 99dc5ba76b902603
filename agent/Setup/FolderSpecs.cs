using Thopter.Agent.Commands;
using Thopter.Shared.Folders;

namespace Thopter.Agent.Setup;

/// <summary>
/// The folders one <c>setup</c> syncs, from its repeatable <c>--folder NAME</c> (ID NAME) and <c>--own-folder NAME</c>
/// (ID NAME@DEVBOX with <c>--devbox-name</c>): all checked before anything is touched. One <c>--folder</c> alone is
/// the single-folder setup every earlier laptop runs.
/// </summary>
public static class FolderSpecs
{
    public static IReadOnlyList<FolderSpec> Validate(IReadOnlyList<string> shared, IReadOnlyList<string> own, string? devbox)
    {
        if (shared.Count + own.Count == 0)
        {
            throw new AgentException(ExitCodes.Usage, "setup needs at least one --folder (or --own-folder)", "pass --folder NAME, as `thopter sync pair` does");
        }

        foreach (var name in shared.Concat(own))
        {
            if (FolderName.Problem(name) is { } problem)
            {
                throw new AgentException(ExitCodes.InvalidFolderName, $"--folder: invalid folder name \"{name}\": {problem}",
                    "use one plain name such as \"code\" (letters, digits, '-', '_', '.')");
            }
        }

        if (shared.Concat(own).GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new AgentException(ExitCodes.InvalidFolderName, $"folder \"{twice.Key}\" is given twice: ~/{twice.Key} can be one folder only",
                "pass each folder once, with --folder or with --own-folder");
        }

        if (own.Count > 0 && DevboxName.Problem(devbox) is { } devboxProblem)
        {
            throw new AgentException(ExitCodes.Usage, $"--own-folder needs --devbox-name, the name the laptop pairs this devbox under: {devboxProblem}",
                "pass --devbox-name NAME (letters, digits, '.', '_', '-'), as `thopter sync pair` does");
        }

        return [.. shared.Select(n => new FolderSpec(FolderName.FolderIdOf(n), n)), .. own.Select(n => new FolderSpec(FolderName.OwnFolderIdOf(n, devbox!), n))];
    }
}
