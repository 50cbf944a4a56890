#pragma once

#include "client/messagebatch.h"

#include <QRegularExpression>
#include <QSet>
#include <QVector>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace periscope::models {

class JsonExpr;

class MessageModel;
class MessageRows;

// What the message browser's filter bar asks for: a quick text search over keys, values
// and headers, plus conditions on single fields. Matching reads the batch's raw bytes; text
// is decoded only for regular expressions (and for case-insensitive non-ASCII text).
class MessageFilter final
{
public:
    enum class Mode { Substring, SubstringCaseSensitive, Regex };
    enum Field { KeyField = 0x1, ValueField = 0x2, HeadersField = 0x4 };
    Q_DECLARE_FLAGS(Fields, Field)

    // An empty text matches everything.
    void setText(const QString &text, Mode mode = Mode::Substring,
                 Fields fields = Fields(KeyField | ValueField));
    QString text() const { return m_text; }
    Mode mode() const { return m_mode; }
    Fields fields() const { return m_fields; }
    // False when the regular expression does not compile; nothing matches then.
    bool isValid() const { return m_mode != Mode::Regex || m_regex.isValid(); }
    QString errorString() const { return isValid() ? QString() : m_regex.errorString(); }

    // Each condition left at its default accepts every message.
    QSet<qint32> partitions;
    qint64 minOffset = -1; // inclusive bounds
    qint64 maxOffset = -1;
    qint64 fromTime = -1; // ms since the epoch, inclusive; messages without one fail
    qint64 toTime = -1;
    std::optional<QByteArray> keyEquals;        // a null key equals nothing
    QByteArray headerName;                      // the message must carry this header...
    std::optional<QByteArray> headerValue;      // ...with this value (a null header has none)
    std::shared_ptr<const JsonExpr> expression; // a field expression (jsonexpr.h), if any

    bool isEmpty() const;
    bool matches(const client::MessageBatch &batch, qsizetype i) const;

private:
    bool textIn(const char *data, qint32 length) const;
    bool headersMatch(const client::MessageBatch &batch, const client::MessageRecord &r) const;

    QString m_text;
    QByteArray m_needle; // UTF-8, ASCII-lowercased when case-insensitive
    QRegularExpression m_regex;
    Mode m_mode = Mode::Substring;
    Fields m_fields = Fields(KeyField | ValueField);
    bool m_asciiNeedle = true;
};

// The rows of `rows` that match, ascending, meant for a worker thread: take
// MessageModel::snapshot() on the GUI thread and pass it here; the snapshot shares the
// batches, so the model may keep appending meanwhile. The row numbers are valid for the
// model while its rows().generation() equals the snapshot's; otherwise drop them. `cancel`
// is polled every few thousand rows (the rows matched so far are returned) and `progress`
// is called from the calling thread at the same pace and once at the end.
QVector<int> filterRows(const MessageRows &rows, const MessageFilter &filter,
                        std::atomic<bool> *cancel = nullptr,
                        const std::function<void(int done, int total)> &progress = {});
// The same over the model's current rows, on the model's thread.
QVector<int> filterRows(const MessageModel &model, const MessageFilter &filter,
                        std::atomic<bool> *cancel = nullptr,
                        const std::function<void(int done, int total)> &progress = {});

} // namespace periscope::models

Q_DECLARE_OPERATORS_FOR_FLAGS(periscope::models::MessageFilter::Fields)
