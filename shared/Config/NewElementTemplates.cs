using System.Xml.Linq;

namespace Thopter.Shared.Config;

/// <summary>
/// What a new &lt;folder&gt;, &lt;device&gt; or &lt;gui&gt; gets besides the values we model. SyncThing
/// fills defaults for absent options, but list entries (folders, devices) it reads as zero values
/// (maxConflicts 0, no marker name ...), so new entries carry SyncThing 1.19's own defaults in full.
/// Extra elements are ignored by other SyncThing versions, missing ones get their defaults there.
/// </summary>
internal static class NewElementTemplates
{
    private const string Folder = """
        <folder id="" label="" path="" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="10" ignorePerms="false" autoNormalize="true">
            <filesystemType>basic</filesystemType>
            <minDiskFree unit="%">1</minDiskFree>
            <versioning>
                <cleanupIntervalS>3600</cleanupIntervalS>
                <fsPath></fsPath>
                <fsType>basic</fsType>
            </versioning>
            <copiers>0</copiers>
            <pullerMaxPendingKiB>0</pullerMaxPendingKiB>
            <hashers>0</hashers>
            <order>random</order>
            <ignoreDelete>false</ignoreDelete>
            <scanProgressIntervalS>0</scanProgressIntervalS>
            <pullerPauseS>0</pullerPauseS>
            <maxConflicts>10</maxConflicts>
            <disableSparseFiles>false</disableSparseFiles>
            <disableTempIndexes>false</disableTempIndexes>
            <paused>false</paused>
            <weakHashThresholdPct>25</weakHashThresholdPct>
            <markerName>.stfolder</markerName>
            <copyOwnershipFromParent>false</copyOwnershipFromParent>
            <modTimeWindowS>0</modTimeWindowS>
            <maxConcurrentWrites></maxConcurrentWrites>
            <disableFsync>false</disableFsync>
            <blockPullOrder>standard</blockPullOrder>
            <copyRangeMethod>standard</copyRangeMethod>
            <caseSensitiveFS>false</caseSensitiveFS>
            <junctionsAsDirs>false</junctionsAsDirs>
        </folder>
        """;

    private const string FolderDevice = """
        <device id="" introducedBy="">
            <encryptionPassword></encryptionPassword>
        </device>
        """;

    private const string Device = """
        <device id="" name="" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
            <address>dynamic</address>
            <paused>false</paused>
            <autoAcceptFolders>false</autoAcceptFolders>
            <maxSendKbps>0</maxSendKbps>
            <maxRecvKbps>0</maxRecvKbps>
            <maxRequestKiB>0</maxRequestKiB>
            <untrusted>false</untrusted>
            <remoteGUIPort>0</remoteGUIPort>
        </device>
        """;

    private const string Gui = """
        <gui enabled="true" tls="false" debugging="false">
            <address></address>
            <apikey></apikey>
            <theme>default</theme>
        </gui>
        """;

    /// <summary>A new folder with the defaults of the SyncThing that writes <paramref name="configVersion"/>: 2.x raised maxConcurrentWrites from 2 to 16.</summary>
    public static XElement NewFolder(int configVersion)
    {
        var folder = XElement.Parse(Folder);
        folder.Element("maxConcurrentWrites")!.Value = configVersion >= ConfigVersion.FirstV2 ? "16" : "2";
        return folder;
    }

    public static XElement NewFolderDevice() => XElement.Parse(FolderDevice);

    public static XElement NewDevice() => XElement.Parse(Device);

    public static XElement NewGui() => XElement.Parse(Gui);
}
