#pragma once

// The blocking halves of the consumer-group requests. Like those in requests.h each runs
// on a worker thread and returns within its time-out.

#include "grouptypes.h"
#include "types.h"

#include <QStringList>

struct rd_kafka_s;

namespace periscope::client {

// Every group of every broker. A broker that could not answer makes it an error; the
// groups the others listed are still in the value.
Result<QList<GroupListing>> listGroups(rd_kafka_s *rk, int timeoutMs);
// All ids in one request; a group the broker could not describe carries its own error.
Result<QList<GroupDescription>> describeGroups(rd_kafka_s *rk, const QStringList &ids,
                                               int timeoutMs);
// The group's committed offsets of every partition it has one for.
Result<QList<GroupOffset>> groupOffsets(rd_kafka_s *rk, const QString &group, int timeoutMs);
// The same for many groups: librdkafka 2.0.2 takes one group per request, so these go out
// a bounded number at a time on one queue. One result per id, in the same order.
QList<Result<QList<GroupOffset>>> manyGroupOffsets(rd_kafka_s *rk, const QStringList &groups,
                                                   int timeoutMs);
// Everything the lag sampler needs in one go: the groups, their members, their committed
// offsets and the end offsets of the partitions involved.
Result<GroupsSample> sampleGroups(rd_kafka_s *rk, int timeoutMs);
// Commits the given offsets for the group. The broker refuses while the group has
// members; that comes back in each partition's error, in the broker's words.
Result<QList<GroupOffset>> alterGroupOffsets(rd_kafka_s *rk, const QString &group,
                                             const QList<GroupOffset> &offsets, int timeoutMs);
Result<ItemResult> deleteGroup(rd_kafka_s *rk, const QString &id, int timeoutMs);
// Forgets the group's committed offsets of these partitions of the topic.
Result<QList<GroupOffset>> deleteGroupOffsets(rd_kafka_s *rk, const QString &group,
                                              const QString &topic, const QList<int> &partitions,
                                              int timeoutMs);

} // namespace periscope::client
