#include "groups/groupsmodel.h"

#include "common/modelutil.h"
#include "groups/lagformat.h"

namespace periscope::models {

using monitor::GroupLag;

namespace {

bool sameIds(const monitor::LagSnapshot *a, const monitor::LagSnapshot *b)
{
    if (!a || !b || a->groups.size() != b->groups.size())
        return false;
    for (qsizetype i = 0; i < a->groups.size(); ++i)
        if (a->groups[i].id != b->groups[i].id)
            return false;
    return true;
}

} // namespace

QString groupProtocolText(const GroupLag &group)
{
    if (group.simple)
        return GroupsModel::tr("simple");
    if (group.assignor.isEmpty())
        return GroupsModel::tr("consumer");
    return GroupsModel::tr("consumer · %1").arg(group.assignor);
}

GroupsModel::GroupsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

// Not on RowTableModel: the rows stay the snapshot's own, so that the old snapshot (a
// group's partitions with it) is freed where the sampler frees it, off the GUI thread.
void GroupsModel::setSnapshot(monitor::SnapshotPtr snapshot)
{
    if (sameIds(m_snapshot.get(), snapshot.get())) {
        m_snapshot = std::move(snapshot);
        // The ids stay: a view sorted by id keeps its order without re-sorting.
        if (!m_snapshot->groups.isEmpty())
            Q_EMIT dataChanged(index(0, State), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

const GroupLag *GroupsModel::groupAt(int row) const
{
    if (!m_snapshot || row < 0 || row >= m_snapshot->groups.size())
        return nullptr;
    return &m_snapshot->groups[row];
}

int GroupsModel::rowOf(const QString &id) const
{
    return m_snapshot ? int(m_snapshot->rowOf.value(id, -1)) : -1;
}

int GroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_snapshot ? 0 : int(m_snapshot->groups.size());
}

int GroupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupsModel::data(const QModelIndex &index, int role) const
{
    const GroupLag *g = index.isValid() ? groupAt(index.row()) : nullptr;
    if (!g)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*g, index.column());
    case SortRoleValue:
        return sortValue(*g, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Members || index.column() == Coordinator || index.column() == Lag ||
            index.column() == Behind)
            return numberAlignment();
        return {};
    case Qt::BackgroundRole:
        return statusTint(g->status);
    case Qt::ForegroundRole:
        if (index.column() == Status)
            return statusColor(g->status);
        if (index.column() == Id && !g->error.isEmpty())
            return errorColor();
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Status)
            return statusToolTip(g->status);
        if (index.column() == Id && !g->error.isEmpty())
            return g->error;
        if (index.column() == Topics)
            return g->topics.join(QLatin1Char('\n'));
        return {};
    default:
        return {};
    }
}

QVariant GroupsModel::display(const GroupLag &g, int column) const
{
    switch (column) {
    case Id:
        return g.id;
    case State:
        return g.state;
    case Protocol:
        return groupProtocolText(g);
    case Members:
        return formatCount(g.members.size());
    case Coordinator:
        return g.coordinator < 0 ? unknownText() : QString::number(g.coordinator);
    case Topics:
        return g.topics.size() <= 2 ? g.topics.join(QLatin1String(", "))
                                    : tr("%1, %2 and %n more", nullptr, int(g.topics.size() - 2))
                                          .arg(g.topics[0], g.topics[1]);
    case Lag:
        return formatLag(g.totalLag);
    case Status:
        return monitor::lagStatusName(g.status);
    case Behind:
        return formatSecondsBehind(g.secondsBehind);
    default:
        return {};
    }
}

QVariant GroupsModel::sortValue(const GroupLag &g, int column) const
{
    switch (column) {
    case Members:
        return int(g.members.size());
    case Coordinator:
        return g.coordinator;
    case Topics:
        return int(g.topics.size());
    case Lag:
        return g.totalLag;
    case Status:
        return int(g.status);
    case Behind:
        return g.secondsBehind;
    default:
        return display(g, column);
    }
}

QVariant GroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[ColumnCount] = {
        QT_TR_NOOP("Group"),   QT_TR_NOOP("State"),       QT_TR_NOOP("Protocol"),
        QT_TR_NOOP("Members"), QT_TR_NOOP("Coordinator"), QT_TR_NOOP("Topics"),
        QT_TR_NOOP("Lag"),     QT_TR_NOOP("Status"),      QT_TR_NOOP("Behind")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace periscope::models
