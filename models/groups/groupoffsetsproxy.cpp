#include "groups/groupoffsetsproxy.h"

#include "groups/groupoffsetsmodel.h"

#include <compare>

namespace periscope::models {

using monitor::PartitionLag;

namespace {

std::weak_ordering byColumn(const PartitionLag &a, const PartitionLag &b, int column)
{
    using M = GroupOffsetsModel;
    switch (column) {
    case M::Partition:
        return a.partition <=> b.partition;
    case M::Committed:
        return a.committed <=> b.committed;
    case M::End:
        return a.end <=> b.end;
    case M::Lag:
        return a.lag <=> b.lag;
    case M::Owner:
        return QString::compare(a.ownerClient, b.ownerClient) <=> 0;
    case M::Status:
        return int(a.status) <=> int(b.status);
    case M::Behind:
        // Unknown (-1) before any figure; no NaN comes from the estimator.
        return a.secondsBehind < b.secondsBehind   ? std::weak_ordering::less
               : b.secondsBehind < a.secondsBehind ? std::weak_ordering::greater
                                                   : std::weak_ordering::equivalent;
    default: // Topic: the tie-break below is the order
        return std::weak_ordering::equivalent;
    }
}

} // namespace

GroupOffsetsProxy::GroupOffsetsProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

void GroupOffsetsProxy::setSourceModel(QAbstractItemModel *model)
{
    m_offsets = qobject_cast<const GroupOffsetsModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

bool GroupOffsetsProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const PartitionLag *a = m_offsets ? m_offsets->partitionAt(left.row()) : nullptr;
    const PartitionLag *b = m_offsets ? m_offsets->partitionAt(right.row()) : nullptr;
    if (!a || !b)
        return QSortFilterProxyModel::lessThan(left, right);
    if (const auto order = byColumn(*a, *b, left.column()); order != 0)
        return order < 0;
    if (const int topics = QString::compare(a->topic, b->topic); topics != 0)
        return topics < 0;
    return a->partition < b->partition;
}

} // namespace periscope::models
