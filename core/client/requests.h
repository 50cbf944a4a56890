#pragma once

// The blocking halves of the client's requests. Each runs on a worker thread, never on
// the GUI thread, and returns within its time-out.

#include "grouptypes.h"
#include "types.h"

#include <QMap>
#include <QStringList>

struct rd_kafka_s;

namespace periscope::client {

// Brokers and topics; topics empty when allTopics is false (a cheap liveness probe).
Result<ClusterMetadata> fetchMetadata(rd_kafka_s *rk, bool allTopics, int timeoutMs);
// Log start and end offsets of every partition of the given topics (topic -> partition
// count). librdkafka sends one ListOffsets request per leader broker for the lot.
Result<QList<PartitionOffsets>> fetchOffsets(rd_kafka_s *rk, const QMap<QString, int> &topics,
                                             int timeoutMs);

// The first offset at or after the time in each partition; -1 when every record is older.
Result<QList<GroupOffset>> offsetsAtTime(rd_kafka_s *rk,
                                         const QMap<QString, QList<int>> &partitions,
                                         qint64 msSinceEpoch, int timeoutMs);

Result<ConfigResource> describeConfigs(rd_kafka_s *rk, ConfigResource::Type type,
                                       const QString &name, int timeoutMs);
// Sets exactly `values` as the resource's dynamic configs (AlterConfigs replaces them all).
Result<ItemResult> alterConfigs(rd_kafka_s *rk, ConfigResource::Type type, const QString &name,
                                const QMap<QString, QString> &values, int timeoutMs);

Result<QList<ItemResult>> createTopics(rd_kafka_s *rk, const QList<NewTopic> &topics,
                                       bool validateOnly, int timeoutMs);
Result<QList<ItemResult>> deleteTopics(rd_kafka_s *rk, const QStringList &names, int timeoutMs);
Result<ItemResult> createPartitions(rd_kafka_s *rk, const QString &topic, int newTotal,
                                    int timeoutMs);
// Deletes records before the given offsets (-1: the partition's end); returns the new
// start offsets.
Result<QList<PartitionOffsets>> deleteRecords(rd_kafka_s *rk, const QString &topic,
                                              const QMap<int, qint64> &before, int timeoutMs);

} // namespace periscope::client
