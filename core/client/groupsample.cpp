#include "grouprequests.h"
#include "requests.h"

#include <QDateTime>
#include <QHash>
#include <algorithm>

namespace periscope::client {

Result<GroupsSample> sampleGroups(rd_kafka_s *rk, int timeoutMs)
{
    Result<GroupsSample> out;
    Result<QList<GroupListing>> listed = listGroups(rk, timeoutMs);
    // A broker that could not list its groups fails the refresh: a sample without its
    // groups would read as "they are gone".
    if (!listed.ok()) {
        out.error = listed.error;
        return out;
    }
    std::sort(listed.value.begin(), listed.value.end(),
              [](const GroupListing &a, const GroupListing &b) { return a.id < b.id; });
    QStringList ids;
    ids.reserve(listed.value.size());
    for (const GroupListing &g : std::as_const(listed.value))
        ids.append(g.id);

    Result<QList<GroupDescription>> described = describeGroups(rk, ids, timeoutMs);
    QHash<QString, qsizetype> describedAt;
    for (qsizetype i = 0; i < described.value.size(); ++i)
        describedAt.insert(described.value[i].id, i);
    QList<Result<QList<GroupOffset>>> committed = manyGroupOffsets(rk, ids, timeoutMs);

    // End offsets for every partition up to the highest one any group touches.
    QMap<QString, int> partitionCounts;
    auto need = [&partitionCounts](const QString &topic, int partition) {
        int &count = partitionCounts[topic];
        count = std::max(count, partition + 1);
    };
    GroupsSample &sample = out.value;
    sample.groups.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i) {
        GroupSample g;
        g.listing = listed.value[i];
        const auto at = describedAt.constFind(g.listing.id);
        if (at != describedAt.cend()) {
            g.description = described.value[*at];
        } else {
            g.description.id = g.listing.id;
            g.description.state = g.listing.state;
            g.description.error = described.error.message;
        }
        if (committed[i].ok())
            g.committed = std::move(committed[i].value);
        else
            g.offsetsError = committed[i].error.message;
        for (const GroupOffset &o : std::as_const(g.committed))
            need(o.topic, o.partition);
        for (const GroupMember &m : std::as_const(g.description.members))
            for (const auto &[topic, partition] : m.assignment)
                need(topic, partition);
        sample.groups.append(std::move(g));
    }
    sample.timeMs = QDateTime::currentMSecsSinceEpoch();
    if (partitionCounts.isEmpty())
        return out;
    Result<QList<PartitionOffsets>> ends = fetchOffsets(rk, partitionCounts, timeoutMs);
    if (!ends.ok()) {
        out.error = ends.error;
        return out;
    }
    sample.ends = std::move(ends.value);
    return out;
}

} // namespace periscope::client
