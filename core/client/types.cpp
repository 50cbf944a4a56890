#include "types.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringLiteral>
#include <algorithm>

namespace periscope::client {

int TopicInfo::underReplicatedCount() const
{
    return int(std::count_if(partitions.cbegin(), partitions.cend(),
                             [](const PartitionInfo &p) { return p.underReplicated(); }));
}

int TopicInfo::offlineCount() const
{
    return int(std::count_if(partitions.cbegin(), partitions.cend(),
                             [](const PartitionInfo &p) { return p.offline(); }));
}

int ClusterMetadata::partitionCount() const
{
    int n = 0;
    for (const TopicInfo &t : topics)
        n += int(t.partitions.size());
    return n;
}

int ClusterMetadata::underReplicatedCount() const
{
    int n = 0;
    for (const TopicInfo &t : topics)
        n += t.underReplicatedCount();
    return n;
}

int ClusterMetadata::offlineCount() const
{
    int n = 0;
    for (const TopicInfo &t : topics)
        n += t.offlineCount();
    return n;
}

QString ConfigEntry::sourceName() const
{
    switch (source) {
    case Source::DynamicTopic:
        return QCoreApplication::translate("periscope::client", "topic");
    case Source::DynamicBroker:
        return QCoreApplication::translate("periscope::client", "broker (dynamic)");
    case Source::DynamicDefaultBroker:
        return QCoreApplication::translate("periscope::client", "cluster default (dynamic)");
    case Source::StaticBroker:
        return QCoreApplication::translate("periscope::client", "broker (static)");
    case Source::Default:
        return QCoreApplication::translate("periscope::client", "default");
    case Source::Unknown:
        break;
    }
    return QCoreApplication::translate("periscope::client", "unknown");
}

QMap<QString, QString> ConfigResource::dynamicValues() const
{
    const Source own = type == Type::Topic ? ConfigEntry::Source::DynamicTopic
                                           : ConfigEntry::Source::DynamicBroker;
    QMap<QString, QString> out;
    for (const ConfigEntry &e : entries)
        if (e.source == own && !e.isNull)
            out.insert(e.name, e.value);
    return out;
}

QString topicNameProblem(const QString &name)
{
    static const QRegularExpression legal(QStringLiteral("^[a-zA-Z0-9._-]+$"));
    if (name.isEmpty())
        return QCoreApplication::translate("periscope::client", "a topic needs a name");
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QCoreApplication::translate("periscope::client",
                                           "\".\" and \"..\" are not allowed as topic names");
    if (name.size() > 249)
        return QCoreApplication::translate(
                   "periscope::client", "a topic name has at most 249 characters (this one has %1)")
            .arg(name.size());
    if (!legal.match(name).hasMatch())
        return QCoreApplication::translate(
            "periscope::client",
            "a topic name may only hold ASCII letters, digits, '.', '_' and '-'");
    return {};
}

} // namespace periscope::client
