#include "groups/topicgroupsmodel.h"

#include "common/modelutil.h"
#include "groups/lagformat.h"

#include <algorithm>

namespace periscope::models {

TopicGroupsModel::TopicGroupsModel(QString topic, QObject *parent)
    : RowTableModel(ColumnCount, parent)
    , m_topic(std::move(topic))
{}

void TopicGroupsModel::setSnapshot(const monitor::SnapshotPtr &snapshot)
{
    QList<TopicGroupRow> rows;
    for (const monitor::GroupLag &g : snapshot ? snapshot->groups : QList<monitor::GroupLag>()) {
        // topics is sorted: most groups are ruled out without looking at their partitions.
        if (!std::binary_search(g.topics.cbegin(), g.topics.cend(), m_topic))
            continue;
        TopicGroupRow row{g.id, g.state};
        monitor::BehindFold behind;
        for (const monitor::PartitionLag &p : g.partitions) {
            if (p.topic != m_topic)
                continue;
            ++row.partitions;
            if (p.lag >= 0)
                row.lag = std::max<qint64>(row.lag, 0) + p.lag;
            row.status = monitor::worse(row.status, p.status);
            behind.add(p.lag, p.secondsBehind);
        }
        row.behind = behind.value();
        rows.append(std::move(row));
    }
    replaceRows(
        std::move(rows),
        [](const TopicGroupRow &a, const TopicGroupRow &b) { return a.group == b.group; }, State);
}

QString TopicGroupsModel::groupAt(int row) const
{
    const TopicGroupRow *r = rowAt(row);
    return r ? r->group : QString();
}

QVariant TopicGroupsModel::data(const QModelIndex &index, int role) const
{
    const TopicGroupRow *found = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!found)
        return {};
    const TopicGroupRow &r = *found;
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Group:
            return r.group;
        case State:
            return r.state;
        case Partitions:
            return r.partitions;
        case Lag:
            return formatLag(r.lag);
        case Status:
            return monitor::lagStatusName(r.status);
        case Behind:
            return formatSecondsBehind(r.behind);
        default:
            return {};
        }
    }
    if (role == SortRoleValue) {
        switch (column) {
        case Lag:
            return r.lag;
        case Status:
            return int(r.status);
        case Behind:
            return r.behind;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::BackgroundRole)
        return statusTint(r.status);
    if (role == Qt::ForegroundRole && column == Status)
        return statusColor(r.status);
    if (role == Qt::ToolTipRole && column == Status)
        return statusToolTip(r.status);
    if (role == Qt::TextAlignmentRole &&
        (column == Partitions || column == Lag || column == Behind))
        return numberAlignment();
    return {};
}

QVariant TopicGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[ColumnCount] = {QT_TR_NOOP("Group"),      QT_TR_NOOP("State"),
                                                   QT_TR_NOOP("Partitions"), QT_TR_NOOP("Lag"),
                                                   QT_TR_NOOP("Status"),     QT_TR_NOOP("Behind")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace periscope::models
