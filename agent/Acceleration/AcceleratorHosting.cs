using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Thopter.Agent.Setup;

namespace Thopter.Agent.Acceleration;

/// <summary>Registers <see cref="AcceleratorService"/> in a host: `thopter-agent accelerate` alone, or beside the fallback supervisor in `run`.</summary>
public static class AcceleratorHosting
{
    public static IServiceCollection AddAccelerator(this IServiceCollection services, string syncthingHome, string userHome)
    {
        services.AddSingleton(new AcceleratorConfigSource(syncthingHome, userHome));
        services.AddSingleton(new AcceleratorServiceOptions());
        services.AddSingleton<Func<AcceleratorTargets, IAcceleratorApi>>(
            static targets => new RestAcceleratorApi(AddressRules.GuiBaseUri(targets.GuiAddress), targets.ApiKey));
        services.AddSingleton(provider => new AcceleratorService(
            provider.GetRequiredService<AcceleratorConfigSource>(),
            provider.GetRequiredService<Func<AcceleratorTargets, IAcceleratorApi>>(),
            provider.GetRequiredService<AcceleratorServiceOptions>(),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<ILogger<AcceleratorService>>(),
            provider.GetService<ISystemdNotifier>()));
        services.AddHostedService(provider => provider.GetRequiredService<AcceleratorService>());
        return services;
    }
}
