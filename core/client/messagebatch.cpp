#include "messagebatch.h"

#include <QtEndian>
#include <cstring>

namespace periscope::client {

namespace {
qint32 put(QByteArray &arena, const char *data, qint64 length)
{
    const qint32 at = qint32(arena.size());
    if (length > 0)
        arena.append(data, qsizetype(length));
    return at;
}

void putU32(QByteArray &arena, quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    arena.append(b, 4);
}

QByteArray view(const QByteArray &arena, qint32 offset, qint32 length)
{
    if (length < 0)
        return {};
    if (length == 0)
        return QByteArray(""); // empty, not null
    return QByteArray::fromRawData(arena.constData() + offset, length);
}
} // namespace

void MessageBatch::append(qint32 partition, qint64 offset, qint64 timestamp, quint8 timestampType,
                          const char *key, qint64 keyLength, const char *value, qint64 valueLength,
                          const std::vector<MessageHeader> &headers, qint64 valueCap)
{
    MessageRecord r;
    r.partition = partition;
    r.offset = offset;
    r.timestamp = timestamp;
    r.timestampType = timestampType;
    r.keyLength = key ? qint32(keyLength) : -1;
    r.keyOffset = put(m_arena, key, key ? keyLength : 0);
    qint64 kept = valueLength;
    if (value && valueCap >= 0 && valueLength > valueCap) {
        kept = valueCap;
        r.flags |= 1;
        r.originalValueLength = qint32(std::min<qint64>(valueLength, INT32_MAX));
    }
    r.valueLength = value ? qint32(kept) : -1;
    r.valueOffset = put(m_arena, value, value ? kept : 0);
    r.headersOffset = qint32(m_arena.size());
    for (const MessageHeader &h : headers) {
        putU32(m_arena, quint32(h.name.size()));
        m_arena.append(h.name);
        putU32(m_arena, h.isNull ? 0xffffffffu : quint32(h.value.size()));
        if (!h.isNull)
            m_arena.append(h.value);
    }
    r.headersLength = qint32(m_arena.size()) - r.headersOffset;
    r.headerCount = quint16(std::min<std::size_t>(headers.size(), 0xffff));
    m_records.push_back(r);
}

void MessageBatch::dropLast()
{
    if (m_records.empty())
        return;
    m_arena.truncate(m_records.back().keyOffset); // key, value, headers follow it
    m_records.pop_back();
}

QByteArray MessageBatch::key(qsizetype i) const
{
    const MessageRecord &r = record(i);
    return view(m_arena, r.keyOffset, r.keyLength);
}

QByteArray MessageBatch::value(qsizetype i) const
{
    const MessageRecord &r = record(i);
    return view(m_arena, r.valueOffset, r.valueLength);
}

QList<MessageHeader> MessageBatch::headers(qsizetype i) const
{
    const MessageRecord &r = record(i);
    QList<MessageHeader> out;
    out.reserve(r.headerCount);
    const char *p = m_arena.constData() + r.headersOffset;
    const char *end = p + r.headersLength;
    while (p + 8 <= end) {
        const quint32 nameLength = qFromLittleEndian<quint32>(p);
        p += 4;
        MessageHeader h;
        h.name = QByteArray(p, qsizetype(nameLength));
        p += nameLength;
        const quint32 valueLength = qFromLittleEndian<quint32>(p);
        p += 4;
        if (valueLength == 0xffffffffu) {
            h.isNull = true;
        } else {
            h.value = QByteArray(p, qsizetype(valueLength));
            p += valueLength;
        }
        out.append(std::move(h));
    }
    return out;
}

} // namespace periscope::client
