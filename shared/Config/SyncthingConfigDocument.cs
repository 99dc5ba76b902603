using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;

namespace Thopter.Shared.Config;

/// <summary>
/// SyncThing's config.xml as a document we edit in place: typed reads and writes for what we
/// model (devices, folders, gui, options) while every other element, attribute and comment is
/// carried through untouched, so rewriting a user's config never loses their settings.
/// Output is deterministic: the same document always serializes to the same bytes.
/// </summary>
public sealed class SyncthingConfigDocument
{
    private const string RootName = "configuration";
    private readonly XDocument _document;

    private SyncthingConfigDocument(XDocument document)
    {
        _document = document;
    }

    private XElement Root => _document.Root!;

    /// <summary>The config schema version (see <see cref="ConfigVersion"/>).</summary>
    public int Version
    {
        get => XmlValues.Int(Root, "version", Root.Attribute("version")?.Value, 0);
        set => Root.SetAttributeValue("version", XmlValues.Format(value));
    }

    /// <exception cref="ConfigXmlException">malformed XML, or the root is not &lt;configuration&gt;.</exception>
    public static SyncthingConfigDocument Parse(string xml) => Parse(xml, "config.xml");

    /// <summary>Reads a config.xml file; the file is only read, never changed.</summary>
    /// <exception cref="ConfigXmlException">the file is not a usable config.xml (message names the path).</exception>
    public static SyncthingConfigDocument Load(string path) => Parse(File.ReadAllText(path), path);

    public static SyncthingConfigDocument CreateNew(int version)
    {
        var document = new SyncthingConfigDocument(new XDocument(new XElement(RootName)));
        document.Version = version;
        return document;
    }

    public IReadOnlyList<DeviceConfig> Devices => Root.Elements("device").Select(ReadDevice).ToList();

    public IReadOnlyList<FolderConfig> Folders => Root.Elements("folder").Select(ReadFolder).ToList();

    /// <summary>The GUI/REST settings, or null when the file has no &lt;gui&gt; element.</summary>
    public GuiConfig? Gui
    {
        get => Root.Element("gui") is { } gui ? ReadGui(gui) : null;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var gui = Root.Element("gui");
            if (gui is null)
            {
                gui = NewElementTemplates.NewGui();
                InsertAfterLast(gui, "gui", "device", "folder");
            }

            gui.SetAttributeValue("enabled", XmlValues.Format(value.Enabled));
            gui.SetAttributeValue("tls", XmlValues.Format(value.Tls));
            XmlValues.SetChild(gui, "address", value.Address);
            if (value.User.Length > 0 && value.Password.Length > 0)
            {
                XmlValues.SetChild(gui, "user", value.User);
                XmlValues.SetChild(gui, "password", value.Password);
            }

            XmlValues.SetChild(gui, "apikey", value.ApiKey);
        }
    }

    /// <summary>The modeled options; absent elements read as SyncThing's defaults.</summary>
    public OptionsConfig Options
    {
        get => ReadOptions(Root.Element("options"));
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var options = Root.Element("options");
            if (options is null)
            {
                options = new XElement("options");
                InsertAfterLast(options, "options", "ldap", "gui", "device", "folder");
            }

            XmlValues.SetRepeated(options, "listenAddress", value.ListenAddresses.Select(a => new XElement("listenAddress", a)));
            XmlValues.SetChild(options, "globalAnnounceEnabled", XmlValues.Format(value.GlobalAnnounceEnabled));
            XmlValues.SetChild(options, "localAnnounceEnabled", XmlValues.Format(value.LocalAnnounceEnabled));
            XmlValues.SetChild(options, "relaysEnabled", XmlValues.Format(value.RelaysEnabled));
            XmlValues.SetChild(options, "startBrowser", XmlValues.Format(value.StartBrowser));
            XmlValues.SetChild(options, "natEnabled", XmlValues.Format(value.NatEnabled));
            XmlValues.SetChild(options, "urAccepted", XmlValues.Format(value.UrAccepted));
            XmlValues.SetChild(options, "autoUpgradeIntervalH", XmlValues.Format(value.AutoUpgradeIntervalH));
            XmlValues.SetChild(options, "crashReportingEnabled", XmlValues.Format(value.CrashReportingEnabled));
            XmlValues.SetChild(options, "announceLANAddresses", XmlValues.Format(value.AnnounceLanAddresses));
        }
    }

    /// <summary>Adds the device, or updates the modeled fields of the one with the same ID (its other settings stay).</summary>
    public void UpsertDevice(DeviceConfig device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var element = FindDevice(device.Id);
        if (element is null)
        {
            element = NewElementTemplates.NewDevice();
            InsertAfterLast(element, "device", "folder");
        }

        element.SetAttributeValue("id", device.Id.ToString());
        element.SetAttributeValue("name", device.Name);
        element.SetAttributeValue("compression", device.Compression);
        element.SetAttributeValue("introducer", XmlValues.Format(device.Introducer));
        XmlValues.SetRepeated(element, "address", device.Addresses.Select(a => new XElement("address", a)));
        XmlValues.SetChild(element, "paused", XmlValues.Format(device.Paused));
        XmlValues.SetChild(element, "autoAcceptFolders", XmlValues.Format(device.AutoAcceptFolders));
    }

    /// <summary>Removes the device and its membership in every folder. Returns false when it was not there.</summary>
    public bool RemoveDevice(DeviceId id)
    {
        var element = FindDevice(id);
        foreach (var folder in Root.Elements("folder"))
        {
            folder.Elements("device").Where(d => ParseId(d) == id).ToList().ForEach(d => d.Remove());
        }

        element?.Remove();
        return element is not null;
    }

    /// <summary>Adds the folder, or updates the modeled fields of the one with the same ID (its other settings stay).</summary>
    public void UpsertFolder(FolderConfig folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentException.ThrowIfNullOrEmpty(folder.Id);
        var element = Root.Elements("folder").FirstOrDefault(f => f.Attribute("id")?.Value == folder.Id);
        if (element is null)
        {
            element = NewElementTemplates.NewFolder(Version);
            InsertAfterLast(element, "folder");
        }

        element.SetAttributeValue("id", folder.Id);
        element.SetAttributeValue("label", folder.Label);
        element.SetAttributeValue("path", folder.Path);
        element.SetAttributeValue("type", folder.Type);
        element.SetAttributeValue("rescanIntervalS", XmlValues.Format(folder.RescanIntervalS));
        element.SetAttributeValue("fsWatcherEnabled", XmlValues.Format(folder.FsWatcherEnabled));
        element.SetAttributeValue("fsWatcherDelayS", XmlValues.Format(folder.FsWatcherDelayS));
        element.SetAttributeValue("ignorePerms", XmlValues.Format(folder.IgnorePerms));
        XmlValues.SetChild(element, "maxConflicts", XmlValues.Format(folder.MaxConflicts));
        if (folder.PullerDelayS is { } pullerDelay)
        {
            XmlValues.SetChild(element, "pullerDelayS", XmlValues.Format(pullerDelay));
        }

        XmlValues.SetChild(element, "paused", XmlValues.Format(folder.Paused));

        // Keep an existing share's element (it may carry an encryption password); add new ones from the template.
        var existing = element.Elements("device").ToList();
        var shares = folder.Devices.Distinct().Select(id =>
        {
            var share = existing.FirstOrDefault(d => ParseId(d) == id) ?? NewElementTemplates.NewFolderDevice();
            share.SetAttributeValue("id", id.ToString());
            return new XElement(share);
        }).ToList();
        existing.ForEach(d => d.Remove());
        var anchor = element.Element("filesystemType");
        if (anchor is null)
        {
            element.AddFirst(shares);
        }
        else
        {
            anchor.AddAfterSelf(shares);
        }
    }

    public bool RemoveFolder(string id)
    {
        var element = Root.Elements("folder").FirstOrDefault(f => f.Attribute("id")?.Value == id);
        element?.Remove();
        return element is not null;
    }

    /// <summary>UTF-8 text, 4-space indents, \n line ends, no declaration (as SyncThing writes it).</summary>
    public string ToXml()
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "    ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            OmitXmlDeclaration = true,
            Encoding = new UTF8Encoding(false),
        };
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(builder, CultureInfo.InvariantCulture), settings))
        {
            Root.WriteTo(writer);
        }

        return builder.Append('\n').ToString();
    }

    /// <summary>Writes atomically with mode 0600 (the file holds the API key). Returns false when the file already held exactly this.</summary>
    public bool Save(string path) => AtomicFile.WriteText(path, ToXml(), AtomicFile.PrivateMode);

    private static SyncthingConfigDocument Parse(string xml, string source)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.None);
        }
        catch (XmlException error)
        {
            throw new ConfigXmlException($"{source} is not well-formed XML: {error.Message}", error);
        }

        if (document.Root?.Name.LocalName != RootName || document.Root.Name.NamespaceName.Length != 0)
        {
            throw new ConfigXmlException($"{source} has root <{document.Root?.Name.LocalName}>, expected <{RootName}>");
        }

        var parsed = new SyncthingConfigDocument(document);
        try
        {
            _ = parsed.Version;
        }
        catch (ConfigXmlException error)
        {
            throw new ConfigXmlException($"{source}: {error.Message}", error);
        }

        return parsed;
    }

    private XElement? FindDevice(DeviceId id) => Root.Elements("device").FirstOrDefault(d => ParseId(d) == id);

    private void InsertAfterLast(XElement element, params string[] precedingNames)
    {
        foreach (var name in precedingNames)
        {
            var last = Root.Elements(name).LastOrDefault();
            if (last is not null)
            {
                last.AddAfterSelf(element);
                return;
            }
        }

        Root.AddFirst(element);
    }

    private static DeviceId ParseId(XElement element)
    {
        var raw = element.Attribute("id")?.Value ?? string.Empty;
        return DeviceId.TryParse(raw, out var id, out var error)
            ? id
            : throw new ConfigXmlException($"config.xml: <{element.Name.LocalName}> id=\"{raw}\": {error}");
    }

    private static DeviceConfig ReadDevice(XElement e) => new(ParseId(e), XmlValues.Attribute(e, "name", string.Empty))
    {
        Addresses = e.Elements("address").Select(a => a.Value).ToList(),
        Compression = XmlValues.Attribute(e, "compression", "metadata"),
        Introducer = XmlValues.Bool(e, "introducer", e.Attribute("introducer")?.Value, false),
        Paused = XmlValues.Bool(e, "paused", e.Element("paused")?.Value, false),
        AutoAcceptFolders = XmlValues.Bool(e, "autoAcceptFolders", e.Element("autoAcceptFolders")?.Value, false),
    };

    // Absent folder values read as zero/false, because that is what SyncThing reads for them.
    private static FolderConfig ReadFolder(XElement e) =>
        new(XmlValues.Attribute(e, "id", string.Empty), XmlValues.Attribute(e, "path", string.Empty))
        {
            Label = XmlValues.Attribute(e, "label", string.Empty),
            Type = XmlValues.Attribute(e, "type", "sendreceive"),
            RescanIntervalS = XmlValues.Int(e, "rescanIntervalS", e.Attribute("rescanIntervalS")?.Value, 0),
            FsWatcherEnabled = XmlValues.Bool(e, "fsWatcherEnabled", e.Attribute("fsWatcherEnabled")?.Value, false),
            FsWatcherDelayS = XmlValues.Double(e, "fsWatcherDelayS", e.Attribute("fsWatcherDelayS")?.Value, 0),
            IgnorePerms = XmlValues.Bool(e, "ignorePerms", e.Attribute("ignorePerms")?.Value, false),
            MaxConflicts = XmlValues.Int(e, "maxConflicts", e.Element("maxConflicts")?.Value, 0),
            Paused = XmlValues.Bool(e, "paused", e.Element("paused")?.Value, false),
            PullerDelayS = XmlValues.OptionalDouble(e, "pullerDelayS", e.Element("pullerDelayS")?.Value),
            Devices = e.Elements("device").Select(ParseId).ToList(),
        };

    private static GuiConfig ReadGui(XElement e) =>
        new(XmlValues.Text(e, "address", string.Empty), XmlValues.Text(e, "apikey", string.Empty))
        {
            Enabled = XmlValues.Bool(e, "enabled", e.Attribute("enabled")?.Value, true),
            Tls = XmlValues.Bool(e, "tls", e.Attribute("tls")?.Value, false),
            User = XmlValues.Text(e, "user", string.Empty),
            Password = XmlValues.Text(e, "password", string.Empty),
        };

    private static OptionsConfig ReadOptions(XElement? e)
    {
        var defaults = new OptionsConfig();
        if (e is null)
        {
            return defaults;
        }

        var listen = e.Elements("listenAddress").Select(a => a.Value).ToList();
        return new OptionsConfig
        {
            ListenAddresses = listen.Count > 0 ? listen : defaults.ListenAddresses,
            GlobalAnnounceEnabled = ReadBool(e, "globalAnnounceEnabled", defaults.GlobalAnnounceEnabled),
            LocalAnnounceEnabled = ReadBool(e, "localAnnounceEnabled", defaults.LocalAnnounceEnabled),
            RelaysEnabled = ReadBool(e, "relaysEnabled", defaults.RelaysEnabled),
            StartBrowser = ReadBool(e, "startBrowser", defaults.StartBrowser),
            NatEnabled = ReadBool(e, "natEnabled", defaults.NatEnabled),
            UrAccepted = XmlValues.Int(e, "urAccepted", e.Element("urAccepted")?.Value, defaults.UrAccepted),
            AutoUpgradeIntervalH = XmlValues.Int(e, "autoUpgradeIntervalH", e.Element("autoUpgradeIntervalH")?.Value, defaults.AutoUpgradeIntervalH),
            CrashReportingEnabled = ReadBool(e, "crashReportingEnabled", defaults.CrashReportingEnabled),
            AnnounceLanAddresses = ReadBool(e, "announceLANAddresses", defaults.AnnounceLanAddresses),
        };
    }

    private static bool ReadBool(XElement e, string name, bool fallback) => XmlValues.Bool(e, name, e.Element(name)?.Value, fallback);
}
