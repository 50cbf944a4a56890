#include "topics/topicsmodel.h"

#include "common/modelutil.h"

#include <algorithm>

namespace periscope::models {

using client::PartitionInfo;
using client::PartitionOffsets;
using client::TopicInfo;

namespace {

bool samePartition(const PartitionInfo &a, const PartitionInfo &b)
{
    return a.id == b.id && a.leader == b.leader && a.replicas == b.replicas && a.isr == b.isr &&
           a.error == b.error;
}

bool sameTopic(const TopicInfo &a, const TopicInfo &b)
{
    return a.name == b.name && a.internal == b.internal && a.error == b.error &&
           std::equal(a.partitions.cbegin(), a.partitions.cend(), b.partitions.cbegin(),
                      b.partitions.cend(), samePartition);
}

} // namespace

TopicsModel::TopicsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TopicsModel::setTopics(const QList<TopicInfo> &topics)
{
    bool sameNames = topics.size() == m_rows.size();
    if (sameNames) {
        // A duplicate name in the input could otherwise hide a missing one.
        QList<bool> hit(m_rows.size(), false);
        for (const TopicInfo &t : topics) {
            const int row = m_rowByName.value(t.name, -1);
            if (row < 0 || hit[row]) {
                sameNames = false;
                break;
            }
            hit[row] = true;
        }
    }
    if (sameNames) {
        int first = -1;
        int last = -1;
        for (const TopicInfo &t : topics) {
            const int row = m_rowByName.value(t.name);
            Row &r = m_rows[row];
            if (sameTopic(r.topic, t))
                continue;
            r.topic = t;
            r.underReplicated = t.underReplicatedCount();
            first = first < 0 ? row : std::min(first, row);
            last = std::max(last, row);
        }
        if (first >= 0)
            Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
        return;
    }

    QHash<QString, qint64> oldMessages;
    for (const Row &r : std::as_const(m_rows))
        if (r.messages >= 0)
            oldMessages.insert(r.topic.name, r.messages);

    beginResetModel();
    m_rows.clear();
    m_rows.reserve(topics.size());
    QHash<QString, int> seen;
    seen.reserve(topics.size());
    for (const TopicInfo &t : topics) {
        if (seen.contains(t.name))
            continue;
        seen.insert(t.name, int(m_rows.size()));
        m_rows.append(Row{t, oldMessages.value(t.name, -1), t.underReplicatedCount(), 0});
    }
    m_rowByName = std::move(seen);
    endResetModel();
}

void TopicsModel::setOffsets(const QList<PartitionOffsets> &offsets)
{
    struct Sum
    {
        qint64 messages = 0;
        int known = 0;
        int errors = 0;
    };
    QHash<int, Sum> sums;
    for (const PartitionOffsets &o : offsets) {
        const auto it = m_rowByName.constFind(o.topic);
        if (it == m_rowByName.cend())
            continue;
        Sum &s = sums[it.value()];
        if (!o.error.isEmpty() || o.start < 0 || o.end < 0) {
            ++s.errors;
            continue;
        }
        s.messages += o.messages();
        ++s.known;
    }

    int first = -1;
    int last = -1;
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        Row &r = m_rows[it.key()];
        const qint64 messages = it->known > 0 ? it->messages : -1;
        if (r.messages == messages && r.offsetErrors == it->errors)
            continue;
        r.messages = messages;
        r.offsetErrors = it->errors;
        first = first < 0 ? it.key() : std::min(first, it.key());
        last = std::max(last, it.key());
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, Messages), index(last, Messages));
}

void TopicsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_rowByName.clear();
    endResetModel();
}

const TopicInfo *TopicsModel::topicAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row].topic : nullptr;
}

qint64 TopicsModel::messagesAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].messages : -1;
}

int TopicsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TopicsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopicsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case SortRole:
        return sortData(row, column);
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::TextAlignmentRole:
        if (column != Name && column != Internal)
            return numberAlignment();
        return {};
    case Qt::ForegroundRole:
        if (!row.topic.error.isEmpty())
            return errorColor();
        if (row.underReplicated > 0)
            return warningColor();
        if (column == Messages && row.messages < 0)
            return mutedColor();
        return {};
    default:
        return {};
    }
}

QVariant TopicsModel::displayData(const Row &row, int column) const
{
    const TopicInfo &t = row.topic;
    switch (column) {
    case Name:
        return t.name;
    case Partitions:
        return formatCount(t.partitions.size());
    case Replication:
        return formatCount(t.replicationFactor());
    case Messages:
        return row.messages < 0 ? pendingText() : formatCount(row.messages);
    case UnderReplicated:
        return formatCount(row.underReplicated);
    case Internal:
        return t.internal ? checkMark() : QString();
    }
    return {};
}

QVariant TopicsModel::sortData(const Row &row, int column) const
{
    const TopicInfo &t = row.topic;
    switch (column) {
    case Name:
        return t.name;
    case Partitions:
        return qint64(t.partitions.size());
    case Replication:
        return qint64(t.replicationFactor());
    case Messages:
        return row.messages;
    case UnderReplicated:
        return qint64(row.underReplicated);
    case Internal:
        return qint64(t.internal ? 1 : 0);
    }
    return {};
}

QVariant TopicsModel::toolTip(const Row &row, int column) const
{
    if (!row.topic.error.isEmpty())
        return tr("Metadata error: %1").arg(row.topic.error);
    if (column == Messages) {
        if (row.offsetErrors > 0)
            return tr("%n partition(s) without offsets; the count covers the rest", nullptr,
                      row.offsetErrors);
        if (row.messages < 0)
            return tr("Message count not loaded yet");
    }
    if (column == UnderReplicated && row.underReplicated > 0)
        return tr("%n partition(s) with fewer in-sync replicas than replicas", nullptr,
                  row.underReplicated);
    return {};
}

QVariant TopicsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Name || section == Internal ? QVariant() : numberAlignment();
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Messages:
            return tr("Sum of end minus start offsets over all partitions");
        case UnderReplicated:
            return tr("Partitions with fewer in-sync replicas than replicas");
        case Internal:
            return tr("Topics Kafka uses for itself, such as __consumer_offsets");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Partitions:
        return tr("Partitions");
    case Replication:
        return tr("Replication");
    case Messages:
        return tr("Messages");
    case UnderReplicated:
        return tr("Under-replicated");
    case Internal:
        return tr("Internal");
    }
    return {};
}

} // namespace periscope::models
