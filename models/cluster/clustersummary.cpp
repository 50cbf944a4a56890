#include "cluster/clustersummary.h"

#include "common/modelutil.h"

#include <algorithm>

namespace periscope::models {

using client::BrokerInfo;
using client::ClusterMetadata;
using client::PartitionOffsets;

qint64 ClusterSummary::totalMessages(const QList<PartitionOffsets> &offsets)
{
    qint64 total = 0;
    for (const PartitionOffsets &o : offsets)
        if (o.error.isEmpty())
            total += o.messages();
    return total;
}

QList<SummaryItem> ClusterSummary::build(const ClusterMetadata &metadata,
                                         const QString &librdkafkaVersion,
                                         const QList<PartitionOffsets> &offsets)
{
    QList<SummaryItem> items;
    items.append(
        {tr("Cluster ID"), metadata.clusterId.isEmpty() ? tr("unknown") : metadata.clusterId});

    QString controller = tr("none");
    if (metadata.controllerId >= 0) {
        const auto it =
            std::find_if(metadata.brokers.cbegin(), metadata.brokers.cend(),
                         [&](const BrokerInfo &b) { return b.id == metadata.controllerId; });
        controller = it == metadata.brokers.cend()
                         ? QString::number(metadata.controllerId)
                         : tr("%1 (%2)").arg(QString::number(metadata.controllerId), it->address());
    }
    items.append({tr("Controller"), controller});
    items.append({tr("Brokers"), formatCount(metadata.brokers.size())});
    items.append({tr("Topics"), formatCount(metadata.topics.size())});

    const int partitions = metadata.partitionCount();
    items.append({tr("Partitions"), formatCount(partitions)});
    items.append({tr("Under-replicated partitions"), formatCount(metadata.underReplicatedCount())});
    items.append({tr("Offline partitions"), formatCount(metadata.offlineCount())});

    const bool offsetsPending = offsets.isEmpty() && partitions > 0;
    items.append({tr("Total messages"),
                  offsetsPending ? pendingText() : formatCount(totalMessages(offsets))});
    items.append(
        {tr("librdkafka"), librdkafkaVersion.isEmpty() ? tr("unknown") : librdkafkaVersion});
    return items;
}

} // namespace periscope::models
