#pragma once

// Messages as the browser receives them: a batch is one byte arena holding every key,
// value and header, plus a small fixed-size record per message pointing into it. No
// QByteArray or QString per message; text is made only when something is shown.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <cstdint>
#include <vector>

namespace periscope::client {

struct MessageRecord
{
    qint64 offset = -1;
    qint64 timestamp = -1; // ms since the epoch; -1 when the message has none
    qint32 partition = -1;
    qint32 keyOffset = 0;  // into the arena
    qint32 keyLength = -1; // -1: null key
    qint32 valueOffset = 0;
    qint32 valueLength = -1;  // -1: null value
    qint32 headersOffset = 0; // headers as [u32 name length][name][i32 value length][value]...
    qint32 headersLength = 0;
    quint16 headerCount = 0;
    quint8 timestampType = 0;        // 0 none, 1 create time, 2 log-append time
    quint8 flags = 0;                // bit 0: value truncated to the browser's per-message cap
    qint32 originalValueLength = -1; // the value's size on the wire when truncated
};

struct MessageHeader
{
    QByteArray name;
    QByteArray value;
    bool isNull = false;
};

class MessageBatch final
{
public:
    // Appends one message; `headers` are (name, value, isNull) triples.
    void append(qint32 partition, qint64 offset, qint64 timestamp, quint8 timestampType,
                const char *key, qint64 keyLength, const char *value, qint64 valueLength,
                const std::vector<MessageHeader> &headers = {}, qint64 valueCap = -1);

    // Takes back the last append (a search that did not keep the message).
    void dropLast();

    qsizetype size() const { return qsizetype(m_records.size()); }
    bool isEmpty() const { return m_records.empty(); }
    const MessageRecord &record(qsizetype i) const { return m_records[std::size_t(i)]; }
    // Views into the arena, valid while the batch lives. Null stays null (isNull()).
    QByteArray key(qsizetype i) const;
    QByteArray value(qsizetype i) const;
    QList<MessageHeader> headers(qsizetype i) const;
    const QByteArray &arena() const { return m_arena; }
    qint64 bytes() const
    {
        return m_arena.size() + qint64(m_records.size() * sizeof(MessageRecord));
    }

private:
    QByteArray m_arena;
    std::vector<MessageRecord> m_records;
};

} // namespace periscope::client

Q_DECLARE_METATYPE(periscope::client::MessageBatch)
