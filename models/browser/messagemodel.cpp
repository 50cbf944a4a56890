#include "browser/messagemodel.h"

#include "browser/messagesort.h"

#include <algorithm>
#include <limits>
#include <string_view>

namespace periscope::models {

using client::MessageBatch;
using client::MessageRecord;

namespace {

QByteArray deepCopy(const QByteArray &view)
{
    return view.isNull() ? QByteArray() : QByteArray(view.constData(), view.size());
}

} // namespace

MessageRows::Ref MessageRows::at(int row) const
{
    return atSequence(sequenceAt(row));
}

MessageRows::Ref MessageRows::atArrival(int arrival) const
{
    return atSequence(m_headSeq + arrival);
}

MessageRows::Ref MessageRows::atSequence(qint64 seq) const
{
    auto it = std::upper_bound(m_chunks.cbegin(), m_chunks.cend(), seq,
                               [](qint64 s, const Chunk &c) { return s < c.seq; });
    Q_ASSERT(it != m_chunks.cbegin());
    --it;
    return {it->batch.get(), it->begin + qsizetype(seq - it->seq)};
}

qint64 MessageRows::sequenceAt(int row) const
{
    return m_headSeq + (m_order.empty() ? row : m_order[std::size_t(row)]);
}

MessageModel::MessageModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

MessageModel::~MessageModel() = default;

bool MessageModel::appendBatch(MessageBatch batch)
{
    if (m_budgetReached)
        return false;
    if (batch.isEmpty())
        return true;
    const int rows = m_rows.size();
    const qsizetype size = batch.size();
    qsizetype incoming = size;
    int overflow = 0;
    if (m_ringCapacity > 0) {
        incoming = std::min<qsizetype>(size, m_ringCapacity);
        overflow = std::max(0, int(rows + incoming - m_ringCapacity));
    }
    const qint64 after = m_bytes - bytesFreedByDropping(overflow) + batch.bytes();
    if (after > m_budget || rows - overflow + incoming > std::numeric_limits<int>::max()) {
        m_budgetReached = true;
        Q_EMIT budgetReached();
        return false;
    }
    dropOldest(overflow);

    const int first = m_rows.size();
    beginInsertRows({}, first, first + int(incoming) - 1);
    m_bytes += batch.bytes();
    m_rows.m_chunks.push_back(MessageRows::Chunk{
        std::make_shared<const MessageBatch>(std::move(batch)), m_rows.m_tailSeq, size - incoming});
    m_rows.m_tailSeq += incoming;
    if (m_rows.sorted())
        for (int row = first; row < first + int(incoming); ++row)
            m_rows.m_order.push_back(row);
    endInsertRows();
    return true;
}

qint64 MessageModel::bytesFreedByDropping(int count) const
{
    const qint64 head = m_rows.m_headSeq + count;
    qint64 freed = 0;
    for (const MessageRows::Chunk &c : m_rows.m_chunks) {
        if (c.endSeq() > head)
            break;
        freed += c.batch->bytes();
    }
    return freed;
}

void MessageModel::dropOldest(int count)
{
    count = std::min(count, m_rows.size());
    if (count <= 0)
        return;
    ++m_rows.m_generation;
    if (!m_rows.sorted()) {
        beginRemoveRows({}, 0, count - 1);
        dropFrontChunks(count);
        endRemoveRows();
        return;
    }
    // Sorted: the oldest rows are scattered. Remove them range by range from the bottom so
    // every announced range is contiguous and the rows above keep their numbers meanwhile.
    std::vector<int> &order = m_rows.m_order;
    int last = int(order.size()) - 1;
    while (last >= 0) {
        if (order[std::size_t(last)] >= count) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && order[std::size_t(first - 1)] < count)
            --first;
        beginRemoveRows({}, first, last);
        order.erase(order.begin() + first, order.begin() + last + 1);
        // Announced rows must be gone from rowCount() too; the chunks follow below.
        m_rows.m_tailSeq -= last - first + 1;
        endRemoveRows();
        last = first - 1;
    }
    m_rows.m_tailSeq += count;
    dropFrontChunks(count);
    for (int &row : order)
        row -= count;
}

void MessageModel::dropFrontChunks(int count)
{
    const qint64 head = m_rows.m_headSeq + count;
    auto &chunks = m_rows.m_chunks;
    auto it = chunks.begin();
    while (it != chunks.end() && it->endSeq() <= head) {
        m_bytes -= it->batch->bytes();
        ++it;
    }
    chunks.erase(chunks.begin(), it);
    if (!chunks.empty() && chunks.front().seq < head) {
        chunks.front().begin += head - chunks.front().seq;
        chunks.front().seq = head;
    }
    m_rows.m_headSeq = head;
}

void MessageModel::clear()
{
    beginResetModel();
    const qint64 tail = m_rows.m_tailSeq; // sequence numbers never repeat
    const quint64 generation = m_rows.m_generation + 1;
    m_rows = MessageRows();
    m_rows.m_headSeq = m_rows.m_tailSeq = tail;
    m_rows.m_generation = generation;
    m_bytes = 0;
    m_budgetReached = false;
    endResetModel();
}

void MessageModel::setMemoryBudget(qint64 bytes)
{
    m_budget = bytes;
    if (m_budgetReached && m_bytes < bytes)
        m_budgetReached = false;
}

void MessageModel::setRingCapacity(int rows)
{
    m_ringCapacity = std::max(0, rows);
    if (m_ringCapacity > 0)
        dropOldest(m_rows.size() - m_ringCapacity);
}

void MessageModel::setUtc(bool utc)
{
    if (m_utc == utc)
        return;
    m_utc = utc;
    if (m_rows.size() > 0)
        Q_EMIT dataChanged(index(0, Timestamp), index(m_rows.size() - 1, Timestamp),
                           {Qt::DisplayRole, Qt::ToolTipRole});
    Q_EMIT headerDataChanged(Qt::Horizontal, Timestamp, Timestamp);
}

const MessageRecord &MessageModel::recordAt(int row) const
{
    static const MessageRecord none;
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).record() : none;
}

QByteArray MessageModel::keyAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const MessageRows::Ref ref = m_rows.at(row);
    return deepCopy(ref.batch->key(ref.index));
}

QByteArray MessageModel::valueAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const MessageRows::Ref ref = m_rows.at(row);
    return deepCopy(ref.batch->value(ref.index));
}

QList<client::MessageHeader> MessageModel::headersAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const MessageRows::Ref ref = m_rows.at(row);
    return ref.batch->headers(ref.index);
}

qint64 MessageModel::messageSize(const MessageRecord &r)
{
    const qint64 value = (r.flags & 1) ? r.originalValueLength : std::max(0, r.valueLength);
    // Each header carries 8 bytes of framing in the arena.
    return std::max(0, r.keyLength) + value + r.headersLength - 8 * qint64(r.headerCount);
}

std::shared_ptr<const MessageRows> MessageModel::snapshot() const
{
    return std::make_shared<const MessageRows>(m_rows);
}

std::vector<int> MessageModel::rowsOfSequences(const std::vector<qint64> &sequences) const
{
    const int count = m_rows.size();
    std::vector<int> rowOfArrival;
    if (m_rows.sorted()) {
        rowOfArrival.resize(std::size_t(count));
        for (int row = 0; row < count; ++row)
            rowOfArrival[std::size_t(m_rows.m_order[std::size_t(row)])] = row;
    }
    std::vector<int> out;
    out.reserve(sequences.size());
    for (const qint64 seq : sequences) {
        const qint64 arrival = seq - m_rows.m_headSeq;
        if (arrival < 0 || arrival >= count)
            out.push_back(-1);
        else
            out.push_back(rowOfArrival.empty() ? int(arrival) : rowOfArrival[std::size_t(arrival)]);
    }
    return out;
}

void MessageModel::sort(int column, Qt::SortOrder order)
{
    applyOrder(sortMessageRows(m_rows, column, order), m_rows.generation());
}

bool MessageModel::applyOrder(std::vector<int> order, quint64 generation)
{
    if (generation != m_rows.generation())
        return false;
    const int count = m_rows.size();
    // Rows that arrived after the snapshot keep their arrival order, after the sorted ones.
    if (!order.empty())
        for (int arrival = int(order.size()); arrival < count; ++arrival)
            order.push_back(arrival);
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> arrivalOf;
    arrivalOf.reserve(std::size_t(before.size()));
    for (const QModelIndex &i : before)
        arrivalOf.push_back(int(m_rows.sequenceAt(i.row()) - m_rows.m_headSeq));
    m_rows.m_order = std::move(order);
    ++m_rows.m_generation;

    if (!before.isEmpty()) {
        std::vector<int> rowOfArrival(static_cast<std::size_t>(count));
        for (int row = 0; row < count; ++row)
            rowOfArrival[std::size_t(m_rows.sorted() ? m_rows.m_order[std::size_t(row)] : row)] =
                row;
        QModelIndexList after;
        after.reserve(before.size());
        for (qsizetype i = 0; i < before.size(); ++i)
            after.append(
                index(rowOfArrival[std::size_t(arrivalOf[std::size_t(i)])], before[i].column()));
        changePersistentIndexList(before, after);
    }
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    return true;
}

} // namespace periscope::models
