#pragma once

// What the lag sampler hands the panes after each refresh: every group with its lag and
// status, built off the GUI thread from the samples seen so far.

#include "client/grouptypes.h"
#include "lagstatus.h"

#include <QHash>
#include <QList>
#include <QStringList>
#include <algorithm>
#include <memory>

namespace periscope::monitor {

struct PartitionLag
{
    QString topic;
    int partition = 0;
    qint64 committed = -1; // -1: the group has not committed here
    qint64 start = -1;
    qint64 end = -1;
    qint64 lag = -1; // end - committed; -1 when either is unknown
    QString ownerId; // member id of the member assigned the partition; empty: none
    QString ownerClient;
    LagStatus status = LagStatus::Unknown;
    double secondsBehind = -1;
};

// A group's time behind from its partitions': the furthest, or unknown (-1) as soon as one
// partition that lags cannot be estimated, since the others' figure would understate it.
class BehindFold final
{
public:
    void add(qint64 lag, double secondsBehind)
    {
        m_max = std::max(m_max, secondsBehind);
        m_unknown = m_unknown || (lag > 0 && secondsBehind < 0);
    }
    double value() const { return m_unknown ? -1 : m_max; }

private:
    double m_max = -1;
    bool m_unknown = false;
};

struct GroupLag
{
    QString id;
    QString state;
    bool simple = false;
    QString assignor;
    int coordinator = -1;
    QList<client::GroupMember> members;
    QStringList topics;
    qint64 totalLag = -1; // -1: no partition's lag is known
    LagStatus status = LagStatus::Unknown;
    double secondsBehind = -1;
    QList<PartitionLag> partitions; // by topic, then partition
    QString error;                  // what could not be read about this group
};

struct LagSnapshot
{
    qint64 timeMs = 0;
    int refreshes = 0;      // samples seen so far: statuses need a few to say anything
    QList<GroupLag> groups; // by id
    QHash<QString, qsizetype> rowOf;

    const GroupLag *group(const QString &id) const;
};

using SnapshotPtr = std::shared_ptr<const LagSnapshot>;

// The samples seen so far, partition by partition. Not thread-safe: one add() at a time.
class LagHistory final
{
public:
    explicit LagHistory(LagRules rules = {})
        : m_rules(rules)
    {}
    void setRules(LagRules rules) { m_rules = rules; }
    // Folds one refresh in and evaluates every partition; forgets partitions that are gone.
    SnapshotPtr add(const client::GroupsSample &sample);

private:
    struct Key
    {
        QString group;
        QString topic;
        int partition = 0;
        bool operator==(const Key &) const = default;
    };
    friend size_t qHash(const Key &key, size_t seed)
    {
        return qHashMulti(seed, key.group, key.topic, key.partition);
    }

    LagRules m_rules;
    int m_refreshes = 0;
    QHash<Key, QList<LagSample>> m_windows;
};

} // namespace periscope::monitor
