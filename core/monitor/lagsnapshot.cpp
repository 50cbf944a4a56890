#include "lagsnapshot.h"

#include <QSet>
#include <algorithm>

namespace periscope::monitor {

namespace {

struct PartitionRef
{
    QString topic;
    int partition = 0;
    bool operator==(const PartitionRef &) const = default;
};

size_t qHash(const PartitionRef &ref, size_t seed)
{
    return qHashMulti(seed, ref.topic, ref.partition);
}

// The partitions a group has committed or been assigned, with what is known of each.
QList<PartitionLag> partitionsOf(const client::GroupSample &g)
{
    QHash<PartitionRef, qsizetype> at;
    QList<PartitionLag> out;
    auto entry = [&](const QString &topic, int partition) -> PartitionLag & {
        const PartitionRef ref{topic, partition};
        auto it = at.constFind(ref);
        if (it == at.cend()) {
            it = at.insert(ref, out.size());
            PartitionLag p;
            p.topic = topic;
            p.partition = partition;
            out.append(std::move(p));
        }
        return out[*it];
    };
    for (const client::GroupOffset &o : g.committed)
        entry(o.topic, o.partition).committed = o.offset;
    for (const client::GroupMember &m : g.description.members) {
        for (const auto &[topic, partition] : m.assignment) {
            PartitionLag &p = entry(topic, partition);
            p.ownerId = m.memberId;
            p.ownerClient = m.clientId;
        }
    }
    std::sort(out.begin(), out.end(), [](const PartitionLag &a, const PartitionLag &b) {
        return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
    });
    return out;
}

} // namespace

const GroupLag *LagSnapshot::group(const QString &id) const
{
    const auto it = rowOf.constFind(id);
    return it == rowOf.cend() ? nullptr : &groups[*it];
}

SnapshotPtr LagHistory::add(const client::GroupsSample &sample)
{
    QHash<PartitionRef, const client::PartitionOffsets *> ends;
    ends.reserve(sample.ends.size());
    for (const client::PartitionOffsets &e : sample.ends)
        ends.insert({e.topic, e.partition}, &e);

    auto snapshot = std::make_shared<LagSnapshot>();
    snapshot->timeMs = sample.timeMs;
    snapshot->refreshes = ++m_refreshes;
    snapshot->groups.reserve(sample.groups.size());
    QHash<Key, QList<LagSample>> windows;
    windows.reserve(m_windows.size());
    for (const client::GroupSample &g : sample.groups) {
        GroupLag group;
        group.id = g.listing.id;
        group.state = g.description.state.isEmpty() ? g.listing.state : g.description.state;
        group.simple = g.listing.simple;
        group.assignor = g.description.assignor;
        group.coordinator = g.description.coordinator;
        group.members = g.description.members;
        group.error = !g.offsetsError.isEmpty() ? g.offsetsError : g.description.error;
        group.partitions = partitionsOf(g);
        BehindFold behind;
        for (PartitionLag &p : group.partitions) {
            if (const auto *e = ends.value({p.topic, p.partition}); e && e->error.isEmpty()) {
                p.start = e->start;
                p.end = e->end;
            }
            if (p.committed >= 0 && p.end >= 0)
                p.lag = std::max<qint64>(0, p.end - p.committed);
            // A partition whose end is unknown this time keeps its window as it was.
            Key key{group.id, p.topic, p.partition};
            QList<LagSample> window = m_windows.take(key);
            // Without the group's offsets this sample says nothing about its progress.
            if (p.end >= 0 && g.offsetsError.isEmpty()) {
                window.append({sample.timeMs, p.committed, p.end});
                if (window.size() > m_rules.windowSamples)
                    window.remove(0, window.size() - m_rules.windowSamples);
            }
            p.status = evaluatePartition(window, !p.ownerId.isEmpty(), m_rules);
            p.secondsBehind = estimateSecondsBehind(window, sample.timeMs);
            windows.insert(std::move(key), std::move(window));

            group.status = worse(group.status, p.status);
            behind.add(p.lag, p.secondsBehind);
            if (p.lag >= 0)
                group.totalLag = std::max<qint64>(group.totalLag, 0) + p.lag;
            if (group.topics.isEmpty() || group.topics.constLast() != p.topic)
                group.topics.append(p.topic);
        }
        group.secondsBehind = behind.value();
        snapshot->rowOf.insert(group.id, snapshot->groups.size());
        snapshot->groups.append(std::move(group));
    }
    // A group whose offsets could not be read this time keeps its windows as they were, so
    // one slow coordinator does not restart its statuses; what was not seen otherwise (a
    // deleted group, a forgotten offset) is dropped.
    QSet<QString> unread;
    for (const client::GroupSample &g : sample.groups)
        if (!g.offsetsError.isEmpty())
            unread.insert(g.listing.id);
    if (!unread.isEmpty())
        for (auto it = m_windows.begin(); it != m_windows.end(); ++it)
            if (unread.contains(it.key().group) && !windows.contains(it.key()))
                windows.insert(it.key(), std::move(it.value()));
    m_windows = std::move(windows);
    return snapshot;
}

} // namespace periscope::monitor
