#include "groups/groupoffsetsmodel.h"

#include "common/modelutil.h"
#include "groups/lagformat.h"

namespace periscope::models {

using monitor::PartitionLag;

GroupOffsetsModel::GroupOffsetsModel(QObject *parent)
    : RowTableModel(ColumnCount, parent)
{}

void GroupOffsetsModel::setPartitions(const QList<PartitionLag> &partitions)
{
    replaceRows(
        partitions,
        [](const PartitionLag &a, const PartitionLag &b) {
            return a.topic == b.topic && a.partition == b.partition;
        },
        Committed);
}

QVariant GroupOffsetsModel::data(const QModelIndex &index, int role) const
{
    const PartitionLag *p = index.isValid() ? partitionAt(index.row()) : nullptr;
    if (!p)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(*p, column);
    case SortRoleValue:
        switch (column) {
        case Partition:
            return p->partition;
        case Committed:
            return p->committed;
        case End:
            return p->end;
        case Lag:
            return p->lag;
        case Status:
            return int(p->status);
        case Behind:
            return p->secondsBehind;
        default:
            return display(*p, column);
        }
    case Qt::TextAlignmentRole:
        return column == Topic || column == Owner || column == Status ? QVariant()
                                                                      : numberAlignment();
    case Qt::BackgroundRole:
        return statusTint(p->status);
    case Qt::ForegroundRole:
        if (column == Status)
            return statusColor(p->status);
        if (column == Owner && p->ownerId.isEmpty())
            return mutedColor();
        return {};
    case Qt::ToolTipRole:
        if (column == Status)
            return statusToolTip(p->status);
        if (column == Owner)
            return p->ownerId;
        return {};
    default:
        return {};
    }
}

QVariant GroupOffsetsModel::display(const PartitionLag &p, int column) const
{
    switch (column) {
    case Topic:
        return p.topic;
    case Partition:
        return p.partition;
    case Committed:
        return formatOffset(p.committed);
    case End:
        return formatOffset(p.end);
    case Lag:
        return formatLag(p.lag);
    case Owner:
        return p.ownerId.isEmpty() ? tr("none") : p.ownerClient;
    case Status:
        return monitor::lagStatusName(p.status);
    case Behind:
        return formatSecondsBehind(p.secondsBehind);
    default:
        return {};
    }
}

QVariant GroupOffsetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[ColumnCount] = {QT_TR_NOOP("Topic"),     QT_TR_NOOP("Partition"),
                                                   QT_TR_NOOP("Committed"), QT_TR_NOOP("End"),
                                                   QT_TR_NOOP("Lag"),       QT_TR_NOOP("Owner"),
                                                   QT_TR_NOOP("Status"),    QT_TR_NOOP("Behind")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace periscope::models
