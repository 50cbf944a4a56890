#include "topics/partitionsmodel.h"

#include "common/modelutil.h"

#include <QStringList>
#include <algorithm>

namespace periscope::models {

using client::PartitionInfo;
using client::PartitionOffsets;

namespace {

QString joinIds(const QList<int> &ids)
{
    QString out;
    for (int id : ids) {
        if (!out.isEmpty())
            out += QLatin1String(", ");
        out += QString::number(id);
    }
    return out;
}

bool samePartition(const PartitionInfo &a, const PartitionInfo &b)
{
    return a.leader == b.leader && a.replicas == b.replicas && a.isr == b.isr && a.error == b.error;
}

} // namespace

PartitionsModel::PartitionsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void PartitionsModel::setTopic(const client::TopicInfo &topic)
{
    const bool sameLayout =
        topic.name == m_topic &&
        std::equal(topic.partitions.cbegin(), topic.partitions.cend(), m_rows.cbegin(),
                   m_rows.cend(),
                   [](const PartitionInfo &p, const Row &r) { return p.id == r.partition.id; });
    if (sameLayout) {
        int first = -1;
        int last = -1;
        for (int row = 0; row < m_rows.size(); ++row) {
            const PartitionInfo &p = topic.partitions[row];
            if (samePartition(p, m_rows[row].partition))
                continue;
            m_rows[row].partition = p;
            first = first < 0 ? row : first;
            last = row;
        }
        if (first >= 0)
            Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
        return;
    }

    // Partitions added to the same topic keep the offsets already known for the others.
    QHash<int, PartitionOffsets> known;
    if (topic.name == m_topic)
        for (const Row &r : std::as_const(m_rows))
            if (r.hasOffsets)
                known.insert(r.partition.id, r.offsets);

    beginResetModel();
    m_topic = topic.name;
    m_rows.clear();
    m_rowById.clear();
    m_rows.reserve(topic.partitions.size());
    for (const PartitionInfo &p : topic.partitions) {
        if (m_rowById.contains(p.id))
            continue;
        m_rowById.insert(p.id, int(m_rows.size()));
        if (const auto it = known.constFind(p.id); it != known.cend()) {
            m_rows.append(Row{p, *it, true});
            continue;
        }
        PartitionOffsets none;
        none.topic = topic.name;
        none.partition = p.id;
        m_rows.append(Row{p, none, false});
    }
    endResetModel();
}

void PartitionsModel::setOffsets(const QList<PartitionOffsets> &offsets)
{
    int first = -1;
    int last = -1;
    for (const PartitionOffsets &o : offsets) {
        if (o.topic != m_topic)
            continue;
        const int row = m_rowById.value(o.partition, -1);
        if (row < 0)
            continue;
        Row &r = m_rows[row];
        if (r.hasOffsets && r.offsets.start == o.start && r.offsets.end == o.end &&
            r.offsets.error == o.error)
            continue;
        r.offsets = o;
        r.hasOffsets = true;
        first = first < 0 ? row : std::min(first, row);
        last = std::max(last, row);
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, Start), index(last, Messages));
}

void PartitionsModel::clear()
{
    setTopic({});
}

const PartitionInfo *PartitionsModel::partitionAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row].partition : nullptr;
}

const PartitionOffsets *PartitionsModel::offsetsAt(int row) const
{
    if (row < 0 || row >= m_rows.size() || !m_rows[row].hasOffsets)
        return nullptr;
    return &m_rows[row].offsets;
}

int PartitionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PartitionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case SortRole:
        return sortData(row, index.column());
    case Qt::ToolTipRole: {
        const QString tip = toolTip(row, index.column());
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::BackgroundRole:
        if (row.partition.offline())
            return errorTint();
        if (row.partition.underReplicated())
            return warningTint();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Replicas || index.column() == Isr)
            return {};
        return numberAlignment();
    default:
        return {};
    }
}

QVariant PartitionsModel::displayData(const Row &row, int column) const
{
    const PartitionInfo &p = row.partition;
    const bool known = row.hasOffsets && row.offsets.error.isEmpty();
    switch (column) {
    case Partition:
        return QString::number(p.id);
    case Leader:
        return p.offline() ? tr("none") : QString::number(p.leader);
    case Replicas:
        return joinIds(p.replicas);
    case Isr:
        return joinIds(p.isr);
    case Start:
        return known && row.offsets.start >= 0 ? formatCount(row.offsets.start) : pendingText();
    case End:
        return known && row.offsets.end >= 0 ? formatCount(row.offsets.end) : pendingText();
    case Messages:
        return known && row.offsets.start >= 0 ? formatCount(row.offsets.messages())
                                               : pendingText();
    }
    return {};
}

QVariant PartitionsModel::sortData(const Row &row, int column) const
{
    const PartitionInfo &p = row.partition;
    const bool known = row.hasOffsets && row.offsets.error.isEmpty();
    switch (column) {
    case Partition:
        return p.id;
    case Leader:
        return p.leader;
    case Replicas:
        return int(p.replicas.size());
    case Isr:
        return int(p.isr.size());
    case Start:
        return known ? row.offsets.start : qint64(-1);
    case End:
        return known ? row.offsets.end : qint64(-1);
    case Messages:
        return known && row.offsets.start >= 0 ? row.offsets.messages() : qint64(-1);
    }
    return {};
}

QString PartitionsModel::toolTip(const Row &row, int column) const
{
    const PartitionInfo &p = row.partition;
    QStringList lines;
    if (p.offline())
        lines << tr("Offline: no broker leads this partition, so it can be neither read "
                    "nor written");
    if (p.underReplicated()) {
        QList<int> missing;
        for (int id : p.replicas)
            if (!p.isr.contains(id))
                missing << id;
        lines << tr("Under-replicated: %1 of %2 replicas in sync; out of sync: %3")
                     .arg(p.isr.size())
                     .arg(p.replicas.size())
                     .arg(joinIds(missing));
    }
    if (!p.error.isEmpty())
        lines << tr("Metadata error: %1").arg(p.error);
    if (column >= Start && !row.offsets.error.isEmpty())
        lines << tr("Offsets unavailable: %1").arg(row.offsets.error);
    return lines.join(QLatin1Char('\n'));
}

QVariant PartitionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Isr:
            return tr("In-sync replicas");
        case Start:
            return tr("Log start offset: the oldest offset still stored");
        case End:
            return tr("High watermark: the offset the next message will get");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Partition:
        return tr("Partition");
    case Leader:
        return tr("Leader");
    case Replicas:
        return tr("Replicas");
    case Isr:
        return tr("ISR");
    case Start:
        return tr("Start");
    case End:
        return tr("End");
    case Messages:
        return tr("Messages");
    }
    return {};
}

} // namespace periscope::models
