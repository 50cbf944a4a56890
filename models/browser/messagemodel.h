#pragma once

#include "client/messagebatch.h"

#include <QAbstractTableModel>
#include <QByteArrayView>
#include <memory>
#include <vector>

namespace periscope::models {

// Which message each row of a MessageModel shows. Batches are kept as they arrived and
// found by binary search over their first sequence numbers, so a row costs nothing beyond
// its MessageRecord (plus 4 bytes while sorted). Copies share the batches: a copy taken on
// the GUI thread stays valid and unchanged while a worker thread reads it.
class MessageRows final
{
public:
    struct Ref
    {
        const client::MessageBatch *batch = nullptr;
        qsizetype index = -1;
        const client::MessageRecord &record() const { return batch->record(index); }
    };

    int size() const { return int(m_tailSeq - m_headSeq); }
    Ref at(int row) const;
    // The row that arrived `arrival`-th among those still held, whatever the sort order.
    Ref atArrival(int arrival) const;
    // A number that names the row's message for as long as it stays in the model; it
    // survives sorting and removals of older rows.
    qint64 sequenceAt(int row) const;
    bool sorted() const { return !m_order.empty(); }
    // Bumped whenever existing rows move or leave (not on append): row numbers computed
    // from an older generation are stale.
    quint64 generation() const { return m_generation; }

private:
    friend class MessageModel;

    Ref atSequence(qint64 seq) const;

    struct Chunk
    {
        std::shared_ptr<const client::MessageBatch> batch;
        qint64 seq = 0; // sequence number of batch->record(begin)
        qsizetype begin = 0;
        qint64 endSeq() const { return seq + batch->size() - begin; }
    };

    std::vector<Chunk> m_chunks;
    std::vector<int> m_order; // view row -> arrival row, empty while unsorted
    qint64 m_headSeq = 0;
    qint64 m_tailSeq = 0;
    quint64 m_generation = 0;
};

// The message browser's table: batches appended as they stream in, bounded by a memory
// budget or, in live tail, by a ring capacity. Cell text is built on demand and not cached:
// a preview costs about a microsecond and a view asks only for the rows it paints.
class MessageModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Partition, Offset, Timestamp, Key, Value, Headers, Size, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };
    static constexpr int PreviewChars = 200;
    static constexpr qint64 DefaultMemoryBudget = qint64(1) << 30;

    explicit MessageModel(QObject *parent = nullptr);
    ~MessageModel() override;

    // One beginInsertRows per batch. False (and nothing added) once the budget is reached.
    bool appendBatch(client::MessageBatch batch);
    void clear();

    qint64 memoryBytes() const { return m_bytes; }
    qint64 memoryBudget() const { return m_budget; }
    // Raising the budget above what is held lifts a reached state.
    void setMemoryBudget(qint64 bytes);
    bool isBudgetReached() const { return m_budgetReached; }

    int ringCapacity() const { return m_ringCapacity; }
    // 0 = unbounded. Otherwise the oldest rows leave before newer ones come in.
    void setRingCapacity(int rows);

    bool utc() const { return m_utc; }
    void setUtc(bool utc);

    // Valid until the model next changes.
    const client::MessageRecord &recordAt(int row) const;
    // Deep copies, so they outlive the batch; null stays null, empty stays empty.
    QByteArray keyAt(int row) const;
    QByteArray valueAt(int row) const;
    QList<client::MessageHeader> headersAt(int row) const;
    // Key + value + header names and values; the value's size on the wire when truncated.
    static qint64 messageSize(const client::MessageRecord &record);

    const MessageRows &rows() const { return m_rows; }
    std::shared_ptr<const MessageRows> snapshot() const;
    // Rows that show the given sequence numbers (-1 for those no longer held).
    std::vector<int> rowsOfSequences(const std::vector<qint64> &sequences) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Sorts a permutation of the rows (stable; ties keep arrival order). Column -1 restores
    // arrival order. Rows appended later go to the end unsorted. A million rows take a
    // moment: the browser computes the order in a job (sortMessageRows) and applies it here.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // Shows the rows in `order` (arrival rows, as sortMessageRows() returns; empty for
    // arrival order), computed from a snapshot of `generation`. False, and nothing changed,
    // when rows moved or left since: the order is stale. Rows appended since go last.
    bool applyOrder(std::vector<int> order, quint64 generation);

Q_SIGNALS:
    // Emitted once when a batch is refused; the loader should stop.
    void budgetReached();

private:
    QVariant displayData(const MessageRows::Ref &ref, int column) const;
    QVariant sortData(const MessageRows::Ref &ref, int column) const;
    QVariant toolTip(const MessageRows::Ref &ref, int column) const;
    QString timeText(qint64 msecs) const;
    void dropOldest(int count);
    void dropFrontChunks(int count);
    qint64 bytesFreedByDropping(int count) const;

    MessageRows m_rows;
    qint64 m_bytes = 0;
    qint64 m_budget = DefaultMemoryBudget;
    int m_ringCapacity = 0;
    bool m_budgetReached = false;
    bool m_utc = false;
};

} // namespace periscope::models
