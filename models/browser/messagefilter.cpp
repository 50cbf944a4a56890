#include "browser/messagefilter.h"

#include "browser/jsonexpr.h"
#include "browser/messagemodel.h"

#include <QtEndian>
#include <algorithm>

namespace periscope::models {

using client::MessageBatch;
using client::MessageRecord;

namespace {

constexpr int PollRows = 4096;

uchar asciiLower(uchar c)
{
    return c >= 'A' && c <= 'Z' ? uchar(c + ('a' - 'A')) : c;
}

// `needle` is already lowercase.
bool containsFolded(QByteArrayView hay, QByteArrayView needle)
{
    const qsizetype n = needle.size();
    const auto first = uchar(needle.front());
    const uchar firstUpper = first >= 'a' && first <= 'z' ? uchar(first - ('a' - 'A')) : first;
    for (qsizetype i = 0; i + n <= hay.size(); ++i) {
        const auto c = uchar(hay[i]);
        if (c != first && c != firstUpper)
            continue;
        qsizetype j = 1;
        while (j < n && asciiLower(uchar(hay[i + j])) == uchar(needle[j]))
            ++j;
        if (j == n)
            return true;
    }
    return false;
}

// Walks the arena's [u32 name length][name][i32 value length][value] records until `visit`
// returns true.
template <typename Visit>
bool anyHeader(const MessageBatch &batch, const MessageRecord &r, Visit visit)
{
    const char *p = batch.arena().constData() + r.headersOffset;
    const char *end = p + r.headersLength;
    while (end - p >= 8) {
        const auto nameLength = qFromLittleEndian<quint32>(p);
        const QByteArrayView name(p + 4, qsizetype(nameLength));
        p += 4 + nameLength;
        const auto valueLength = qFromLittleEndian<quint32>(p);
        p += 4;
        const bool isNull = valueLength == 0xffffffffu;
        const QByteArrayView value(isNull ? nullptr : p, isNull ? 0 : qsizetype(valueLength));
        if (!isNull)
            p += valueLength;
        if (visit(name, value, isNull))
            return true;
    }
    return false;
}

} // namespace

void MessageFilter::setText(const QString &text, Mode mode, Fields fields)
{
    m_text = text;
    m_mode = mode;
    m_fields = fields;
    m_needle = text.toUtf8();
    m_asciiNeedle =
        std::all_of(m_needle.cbegin(), m_needle.cend(), [](char c) { return uchar(c) < 0x80; });
    if (mode == Mode::Substring)
        m_needle = m_needle.toLower(); // ASCII only in Qt 6
    m_regex = mode == Mode::Regex ? QRegularExpression(text) : QRegularExpression();
}

bool MessageFilter::isEmpty() const
{
    return m_text.isEmpty() && partitions.isEmpty() && minOffset < 0 && maxOffset < 0 &&
           fromTime < 0 && toTime < 0 && !keyEquals && headerName.isEmpty() && !expression;
}

bool MessageFilter::textIn(const char *data, qint32 length) const
{
    if (length < 0)
        return false;
    const QByteArrayView hay(data, length);
    switch (m_mode) {
    case Mode::SubstringCaseSensitive:
        return hay.contains(m_needle);
    case Mode::Substring:
        if (m_asciiNeedle)
            return containsFolded(hay, m_needle);
        return QString::fromUtf8(hay).contains(m_text, Qt::CaseInsensitive);
    case Mode::Regex:
        return m_regex.match(QString::fromUtf8(hay)).hasMatch();
    }
    return false;
}

bool MessageFilter::headersMatch(const MessageBatch &batch, const MessageRecord &r) const
{
    return anyHeader(batch, r, [this](QByteArrayView name, QByteArrayView value, bool isNull) {
        if (name != headerName)
            return false;
        return !headerValue || (!isNull && value == *headerValue);
    });
}

bool MessageFilter::matches(const MessageBatch &batch, qsizetype i) const
{
    const MessageRecord &r = batch.record(i);
    if (!partitions.isEmpty() && !partitions.contains(r.partition))
        return false;
    if ((minOffset >= 0 && r.offset < minOffset) || (maxOffset >= 0 && r.offset > maxOffset))
        return false;
    if ((fromTime >= 0 || toTime >= 0) && r.timestamp < 0)
        return false;
    if ((fromTime >= 0 && r.timestamp < fromTime) || (toTime >= 0 && r.timestamp > toTime))
        return false;
    const char *arena = batch.arena().constData();
    if (keyEquals &&
        (r.keyLength < 0 || QByteArrayView(arena + r.keyOffset, r.keyLength) != *keyEquals))
        return false;
    if (!headerName.isEmpty() && !headersMatch(batch, r))
        return false;
    if (expression && !expression->matches(batch, i))
        return false;

    if (m_text.isEmpty())
        return true;
    if (!isValid())
        return false;
    if ((m_fields & KeyField) && textIn(arena + r.keyOffset, r.keyLength))
        return true;
    if ((m_fields & ValueField) && textIn(arena + r.valueOffset, r.valueLength))
        return true;
    return (m_fields & HeadersField) &&
           anyHeader(batch, r, [this](QByteArrayView name, QByteArrayView value, bool isNull) {
               return textIn(name.data(), qint32(name.size())) ||
                      (!isNull && textIn(value.data(), qint32(value.size())));
           });
}

QVector<int> filterRows(const MessageRows &rows, const MessageFilter &filter,
                        std::atomic<bool> *cancel,
                        const std::function<void(int done, int total)> &progress)
{
    // A compiled expression of our own: copies of a QRegularExpression share one.
    MessageFilter local = filter;
    local.setText(filter.text(), filter.mode(), filter.fields());

    const int total = rows.size();
    QVector<int> out;
    for (int row = 0; row < total; ++row) {
        if (row % PollRows == 0 && row > 0) {
            if (cancel && cancel->load(std::memory_order_relaxed))
                return out;
            if (progress)
                progress(row, total);
        }
        const MessageRows::Ref ref = rows.at(row);
        if (local.matches(*ref.batch, ref.index))
            out.append(row);
    }
    if (progress)
        progress(total, total);
    return out;
}

QVector<int> filterRows(const MessageModel &model, const MessageFilter &filter,
                        std::atomic<bool> *cancel,
                        const std::function<void(int done, int total)> &progress)
{
    return filterRows(model.rows(), filter, cancel, progress);
}

} // namespace periscope::models
