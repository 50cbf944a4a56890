#include "topicgroupsmodel.h"

#include "lagformat.h"
#include "modelutil.h"

#include <algorithm>

namespace periscope::models {

TopicGroupsModel::TopicGroupsModel(QString topic, QObject *parent)
    : QAbstractTableModel(parent)
    , m_topic(std::move(topic))
{}

void TopicGroupsModel::setSnapshot(const monitor::SnapshotPtr &snapshot)
{
    QList<Row> rows;
    for (const monitor::GroupLag &g : snapshot ? snapshot->groups : QList<monitor::GroupLag>()) {
        // topics is sorted: most groups are ruled out without looking at their partitions.
        if (!std::binary_search(g.topics.cbegin(), g.topics.cend(), m_topic))
            continue;
        Row row{g.id, g.state};
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
    bool same = rows.size() == m_rows.size();
    for (qsizetype i = 0; same && i < rows.size(); ++i)
        same = rows[i].group == m_rows[i].group;
    if (same) {
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

QString TopicGroupsModel::groupAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].group : QString();
}

int TopicGroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TopicGroupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopicGroupsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
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
    switch (section) {
    case Group:
        return tr("Group");
    case State:
        return tr("State");
    case Partitions:
        return tr("Partitions");
    case Lag:
        return tr("Lag");
    case Status:
        return tr("Status");
    case Behind:
        return tr("Behind");
    default:
        return {};
    }
}

} // namespace periscope::models
