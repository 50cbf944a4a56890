#include "types.h"

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
        return QStringLiteral("topic");
    case Source::DynamicBroker:
        return QStringLiteral("broker (dynamic)");
    case Source::DynamicDefaultBroker:
        return QStringLiteral("cluster default (dynamic)");
    case Source::StaticBroker:
        return QStringLiteral("broker (static)");
    case Source::Default:
        return QStringLiteral("default");
    case Source::Unknown:
        break;
    }
    return QStringLiteral("unknown");
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
        return QStringLiteral("a topic needs a name");
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QStringLiteral("\".\" and \"..\" are not allowed as topic names");
    if (name.size() > 249)
        return QStringLiteral("a topic name has at most 249 characters (this one has %1)")
            .arg(name.size());
    if (!legal.match(name).hasMatch())
        return QStringLiteral("a topic name may only hold ASCII letters, digits, '.', '_' and '-'");
    return {};
}

} // namespace periscope::client
