#pragma once

#include "client/types.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace periscope::models {

struct SummaryItem
{
    QString label;
    QString value;
    friend bool operator==(const SummaryItem &, const SummaryItem &) = default;
};

// The label/value lines of a cluster overview. Not a model: the overview is a handful of
// lines that a form layout or a tile shows as they are.
class ClusterSummary final
{
    Q_DECLARE_TR_FUNCTIONS(ClusterSummary)

public:
    // An empty offsets list counts as "not loaded yet" when the cluster has partitions.
    static QList<SummaryItem> build(const client::ClusterMetadata &metadata,
                                    const QString &librdkafkaVersion,
                                    const QList<client::PartitionOffsets> &offsets);
    // The total over partitions whose offsets are known.
    static qint64 totalMessages(const QList<client::PartitionOffsets> &offsets);
};

} // namespace periscope::models
